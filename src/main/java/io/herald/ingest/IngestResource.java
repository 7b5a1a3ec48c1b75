package io.herald.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.identity.PublishScope;
import io.herald.identity.Role;
import io.herald.platform.WouldBlock;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Problem;
import io.herald.platform.problem.ProblemType;
import io.herald.store.EventStore;
import io.herald.store.NewEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/v1/topics/{topic}/events}: 202 once the events and their deliveries are committed; 200 with the
 * original event for a re-post; problem+json for every refusal, with nothing stored.
 */
@Path("/api/v1/topics/{topic}/events")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class IngestResource {
    /**
     * Bodies up to this size are parsed and validated on the event loop (well under a millisecond); a large batch goes
     * to a worker, so it cannot hold up the other connections of its event loop.
     */
    private static final int EVENT_LOOP_MAX_BODY = 64 * 1024;

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
    public record EventReceipt(
            String id,
            String status,
            String topic,
            String ceId,
            String source,
            String type,
            Integer schemaVersion,
            Integer deliveries) {}

    public record BatchReceipt(List<EventReceipt> items) {}

    /**
     * Runs on the event loop: the topic and its schemas are almost always cached, so parsing, validation and queueing
     * for the group commit cost no thread hand-off (a worker read the body, validated and answered before, at three
     * hand-offs per request). A cache miss runs the request again on a worker, which loads what is missing; so does a
     * body over {@link #EVENT_LOOP_MAX_BODY}. The answer is built on the request's event loop once the commit is done;
     * a re-post, answered with the stored original, reads it on a worker.
     */
    @RolesAllowed(Role.PUBLISHER_NAME)
    @POST
    public CompletionStage<Response> publish(
            @PathParam("topic") String topic, @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        PublishScope.check(identity, topic);
        io.vertx.core.Context request = Vertx.currentContext();
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        byte[] bytes = body == null ? new byte[0] : body;
        Iterable<String> headerNames = headers.getRequestHeaders().keySet();
        CompletionStage<IngestService.Accepted> stored = null;
        if (bytes.length <= EVENT_LOOP_MAX_BODY) {
            try {
                stored = ingest.ingest(topic, contentType, headers::getHeaderString, headerNames, bytes, false);
            } catch (WouldBlock cold) {
                // loaded on a worker, below
            }
        }
        if (stored == null) {
            stored = request.executeBlocking(
                            () -> ingest.ingest(topic, contentType, headers::getHeaderString, headerNames, bytes, true),
                            false)
                    .toCompletionStage()
                    .thenCompose(queued -> queued);
        }
        return stored.thenCompose(accepted -> answer(request, topic, accepted, uri));
    }

    private CompletionStage<Response> answer(
            io.vertx.core.Context request, String topic, IngestService.Accepted accepted, UriInfo uri) {
        if (!accepted.batch() && accepted.outcomes().get(0).status() == GroupCommitter.Status.DUPLICATE) {
            return request.executeBlocking(() -> respond(topic, accepted, uri), false)
                    .toCompletionStage();
        }
        CompletableFuture<Response> answer = new CompletableFuture<>();
        request.runOnContext(ignored -> {
            try {
                answer.complete(respond(topic, accepted, uri));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private Response respond(String topic, IngestService.Accepted accepted, UriInfo uri) {
        List<EventReceipt> receipts = new ArrayList<>();
        List<FieldError> conflicts = new ArrayList<>();
        boolean anyAccepted = false;
        for (int i = 0; i < accepted.events().size(); i++) {
            NewEvent event = accepted.events().get(i);
            GroupCommitter.Outcome outcome = accepted.outcomes().get(i);
            if (outcome.status() == GroupCommitter.Status.CONFLICT) {
                conflicts.add(new FieldError(
                        accepted.batch() ? "/" + i : "",
                        "event id '" + event.ceId() + "' from source '" + event.source()
                                + "' was already accepted with a different payload (as " + outcome.eventId() + ")"));
            }
            anyAccepted |= outcome.status() == GroupCommitter.Status.ACCEPTED;
            receipts.add(new EventReceipt(
                    outcome.eventId(),
                    outcome.status().name().toLowerCase(Locale.ROOT),
                    topic,
                    event.ceId(),
                    event.source(),
                    event.type(),
                    event.schemaVersion(),
                    outcome.status() == GroupCommitter.Status.ACCEPTED ? outcome.deliveries() : null));
        }
        if (!conflicts.isEmpty()) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    (conflicts.size() == 1
                                    ? conflicts.get(0).detail()
                                    : conflicts.size() + " events reuse ids with different payloads")
                            + "; nothing was stored",
                    conflicts);
        }
        if (!accepted.batch()) {
            EventReceipt receipt = receipts.get(0);
            // Written as text, not through a UriBuilder, which costs a parse per request (ADR 0014). The base URI
            // (scheme, host and root path, proxy headers applied) ends in '/'; event ids are URL-safe.
            String location = uri.getBaseUri() + "api/v1/events/" + receipt.id();
            if (!anyAccepted) {
                // A re-post: the original event, as stored.
                return Response.ok(store.get(receipt.id()).orElseThrow())
                        .header(HttpHeaders.LOCATION, location)
                        .build();
            }
            return Response.accepted(receipt)
                    .header(HttpHeaders.LOCATION, location)
                    .build();
        }
        return Response.status(anyAccepted ? 202 : 200)
                .entity(new BatchReceipt(receipts))
                .build();
    }
}
