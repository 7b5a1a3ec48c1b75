package io.herald.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.herald.platform.Hashing;
import io.herald.platform.Ids;
import io.herald.platform.WouldBlock;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.schema.SchemaCheck;
import io.herald.schema.SchemaConfig;
import io.herald.schema.SchemaService;
import io.herald.store.NewEvent;
import io.herald.topic.TopicService;
import io.herald.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Accepting events: parse (any content mode), check the topic, validate every event against its schema (all or
 * nothing, every violation listed), then hand the request to the group commit. The answer goes out after the commit.
 */
@ApplicationScoped
public class IngestService {
    /** Whether a topic exists, remembered briefly: ingest must not query the topics table per event. */
    private final Cache<String, Boolean> topicExists = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(2))
            .build();

    private final EventParser parser;
    private final SchemaService schemas;
    private final SchemaConfig schemaConfig;
    private final TopicService topics;
    private final GroupCommitter committer;

    IngestService(
            EventParser parser,
            SchemaService schemas,
            SchemaConfig schemaConfig,
            TopicService topics,
            GroupCommitter committer) {
        this.parser = parser;
        this.schemas = schemas;
        this.schemaConfig = schemaConfig;
        this.topics = topics;
        this.committer = committer;
    }

    /** The stored events of a request, in order, with what became of each. */
    public record Accepted(List<NewEvent> events, List<GroupCommitter.Outcome> outcomes, boolean batch) {}

    /**
     * Parses, validates and queues a request for the group commit. With {@code mayBlock} false (on an event loop) the
     * topic and its schemas come only from the caches, and a miss throws {@link WouldBlock} before anything is queued.
     */
    public CompletableFuture<Accepted> ingest(
            String topic,
            String contentType,
            Function<String, String> header,
            Iterable<String> headerNames,
            byte[] body,
            boolean mayBlock) {
        if (!WouldBlock.cached(topicExists, topic, topics::exists, mayBlock)) {
            throw ApiProblem.notFound("Topic", topic);
        }
        Topics.requireWritable(topic);
        EventParser.Parsed parsed = parser.parse(topic, contentType, header, headerNames, body);
        List<NewEvent> events = new ArrayList<>();
        List<FieldError> violations = new ArrayList<>();
        int total = 0;
        for (Draft draft : parsed.drafts()) {
            SchemaCheck check =
                    schemas.check(topic, draft.schemaVersion(), draft.data(), draft.dataPointer(), mayBlock);
            total += check.totalViolations();
            for (FieldError violation : check.violations()) {
                if (violations.size() < schemaConfig.maxReportedViolations()) {
                    violations.add(violation);
                }
            }
            String id = Ids.next("evt");
            events.add(new NewEvent(
                    id,
                    topic,
                    draft.ceId() == null ? id : draft.ceId(),
                    draft.source(),
                    draft.type(),
                    draft.subject(),
                    draft.time(),
                    draft.dataContentType(),
                    draft.dataText(),
                    draft.data(),
                    check.version(),
                    draft.extensions(),
                    Hashing.sha256Hex(draft.dataText())));
        }
        if (total > 0) {
            throw new ApiProblem(
                    ProblemType.SCHEMA_VIOLATION,
                    (parsed.batch() ? "The batch does not match" : "The event does not match")
                            + " the schema of topic '" + topic + "': " + total + " violation" + (total == 1 ? "" : "s")
                            + (total > violations.size() ? " (the first " + violations.size() + " are listed)" : "")
                            + "; nothing was stored",
                    violations);
        }
        return committer.append(events).thenApply(outcomes -> new Accepted(events, outcomes, parsed.batch()));
    }
}
