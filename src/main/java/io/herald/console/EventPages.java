package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import io.herald.delivery.DeliveryDtos;
import io.herald.delivery.DeliveryService;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.store.EventOut;
import io.herald.store.EventPage;
import io.herald.store.EventStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Events: search the store (keyset-paged, newest first) and read one event with each delivery's attempt timeline. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/events")
@Produces(MediaType.TEXT_HTML)
public class EventPages {
    private final EventStore store;
    private final DeliveryService deliveries;
    private final ConsoleForms forms;

    EventPages(EventStore store, DeliveryService deliveries, ConsoleForms forms) {
        this.store = store;
        this.deliveries = deliveries;
        this.forms = forms;
    }

    /** The search as typed; times are UTC, as datetime-local inputs give them. */
    public record Search(String topic, String type, String subject, String from, String to, String id) {
        /** The query string of this search, for the next-page link. */
        public String query() {
            return Stream.of(
                            new String[] {"topic", topic},
                            new String[] {"type", type},
                            new String[] {"subject", subject},
                            new String[] {"from", from},
                            new String[] {"to", to})
                    .filter(p -> p[1] != null && !p[1].isBlank())
                    .map(p -> p[0] + "=" + URLEncoder.encode(p[1], StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
    }

    public record DeliveryTimeline(DeliveryDtos.DeliveryOut delivery, List<DeliveryDtos.AttemptOut> attempts) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Search search, EventPage page, ConsoleProblem problem);

        static native TemplateInstance event(
                EventOut event, String data, String extensions, List<DeliveryTimeline> deliveries);
    }

    @GET
    public Response list(
            @QueryParam("topic") String topic,
            @QueryParam("type") String type,
            @QueryParam("subject") String subject,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("id") String id,
            @QueryParam("after") String after) {
        Search search = new Search(topic, type, subject, from, to, id);
        if (blankToNull(id) != null) {
            return ConsoleForms.seeOther("/console/events/" + URLEncoder.encode(id.trim(), StandardCharsets.UTF_8));
        }
        try {
            EventPage page = store.list(new EventStore.Query(
                    blankToNull(topic),
                    blankToNull(type),
                    blankToNull(subject),
                    utc(from),
                    utc(to),
                    blankToNull(after),
                    null));
            return Response.ok(Templates.list(search, page, null)).build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused, Templates.list(search, new EventPage(List.of(), null), ConsoleProblem.of(refused)));
        }
    }

    /** A datetime-local value ("2026-11-26T10:00") read as UTC; anything else goes to the store as typed. */
    static String utc(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        if (v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}")) {
            return v + ":00Z";
        }
        return v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?") ? v + "Z" : v;
    }

    @GET
    @Path("{id}")
    public TemplateInstance event(@PathParam("id") String id) {
        EventOut event = store.get(id).orElseThrow(() -> ApiProblem.notFound("Event", id));
        List<DeliveryTimeline> timelines = event.deliveries() == null
                ? List.of()
                : event.deliveries().stream()
                        .map(d -> new DeliveryTimeline(
                                deliveries.get(d.id()),
                                deliveries.attempts(d.id()).items()))
                        .toList();
        return Templates.event(
                event,
                forms.pretty(event.data()),
                event.extensions() == null ? null : forms.pretty(event.extensions()),
                timelines);
    }
}
