package io.herald.console;

import io.herald.broker.BrokerClient;
import io.herald.topic.TopicPage;
import io.herald.topic.TopicService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The console's landing page: whether Herald can deliver, and its topics. Pages grow here, one per feature. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
    private final TopicService topics;
    private final BrokerClient broker;

    ConsoleResource(TopicService topics, BrokerClient broker) {
        this.topics = topics;
        this.broker = broker;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(TopicPage topics, boolean brokerConnected, String brokerFailure);
    }

    @GET
    public TemplateInstance index() {
        return Templates.index(topics.list(null, null), broker.isConnected(), broker.lastFailure());
    }
}
