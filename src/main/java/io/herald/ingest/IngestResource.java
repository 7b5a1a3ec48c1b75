package io.herald.ingest;

import io.herald.identity.PublishScope;
import io.quarkus.security.identity.SecurityIdentity;
import io.herald.identity.Role;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Problem;
import io.herald.platform.problem.ProblemType;
import io.herald.store.EventStore;
import io.herald.store.NewEvent;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Vertx;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/v1/topics/{topic}/events}: 202 once the events and their deliveries are committed; 200 with the
 * original event for a re-post; problem+json for every refusal, with nothing stored.
 */
@Path("/api/v1/topics/{topic}/events")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class IngestResource {
    private final IngestService ingest;
    private final EventStore store;
    private final SecurityIdentity identity;

    IngestResource(IngestService ingest, EventStore store, SecurityIdentity identity) {
        this.identity = identity;
        this.ingest = ingest;
        this.store = store;
    }

    /** What a producer learns about one accepted (or re-posted) event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventReceipt(String id, String status, String topic, String ceId, String source, String type, Integer schemaVersion,
            Integer deliveries) {
    }

    public record BatchReceipt(List<EventReceipt> items) {
    }

    /**
     * Parsing and validation run on a worker thread; the thread is released while the group commit runs. The answer is
     * built and written on a worker of the request's Vert.x context (not on the committer thread, which goes straight back
     * to committing; and without the context-propagating executor this used before, which cost more than the answer).
     */
    @RolesAllowed(Role.PUBLISHER_NAME)
    @POST
    @Blocking
    public CompletionStage<Response> publish(@PathParam("topic") String topic, @Context HttpHeaders headers, @Context UriInfo uri,
            byte[] body) {
        PublishScope.check(identity, topic);
        io.vertx.core.Context request = Vertx.currentContext();
        return ingest.ingest(topic, headers.getHeaderString(HttpHeaders.CONTENT_TYPE), headers::getHeaderString, body == null ? new byte[0] : body)
                .thenCompose(accepted -> request.executeBlocking(() -> respond(topic, accepted, uri), false).toCompletionStage());
    }

    private Response respond(String topic, IngestService.Accepted accepted, UriInfo uri) {
        List<EventReceipt> receipts = new ArrayList<>();
        List<FieldError> conflicts = new ArrayList<>();
        boolean anyAccepted = false;
        for (int i = 0; i < accepted.events().size(); i++) {
            NewEvent event = accepted.events().get(i);
            GroupCommitter.Outcome outcome = accepted.outcomes().get(i);
            if (outcome.status() == GroupCommitter.Status.CONFLICT) {
                conflicts.add(new FieldError(accepted.batch() ? "/" + i : "", "event id '" + event.ceId() + "' from source '" + event.source()
                        + "' was already accepted with a different payload (as " + outcome.eventId() + ")"));
            }
            anyAccepted |= outcome.status() == GroupCommitter.Status.ACCEPTED;
            receipts.add(new EventReceipt(outcome.eventId(), outcome.status().name().toLowerCase(Locale.ROOT), topic, event.ceId(),
                    event.source(), event.type(), event.schemaVersion(),
                    outcome.status() == GroupCommitter.Status.ACCEPTED ? outcome.deliveries() : null));
        }
        if (!conflicts.isEmpty()) {
            throw new ApiProblem(ProblemType.CONFLICT, (conflicts.size() == 1 ? conflicts.get(0).detail()
                    : conflicts.size() + " events reuse ids with different payloads") + "; nothing was stored", conflicts);
        }
        if (!accepted.batch()) {
            EventReceipt receipt = receipts.get(0);
            URI location = uri.getBaseUriBuilder().path("api/v1/events").path(receipt.id()).build();
            if (!anyAccepted) {
                // A re-post: the original event, as stored.
                return Response.ok(store.get(receipt.id()).orElseThrow()).location(location).build();
            }
            return Response.accepted(receipt).location(location).build();
        }
        return Response.status(anyAccepted ? 202 : 200).entity(new BatchReceipt(receipts)).build();
    }
}
