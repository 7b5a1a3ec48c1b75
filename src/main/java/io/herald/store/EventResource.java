package io.herald.store;

import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/events}: searching and reading the event store, as described in openapi.yaml. */
@Path("/api/v1/events")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class EventResource {
    private final EventStore store;

    EventResource(EventStore store) {
        this.store = store;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    public EventPage list(
            @QueryParam("topic") String topic,
            @QueryParam("type") String type,
            @QueryParam("subject") String subject,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        return store.list(new EventStore.Query(topic, type, subject, from, to, after, limit));
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}")
    public EventOut get(@PathParam("id") String id) {
        return store.get(id).orElseThrow(() -> ApiProblem.notFound("Event", id));
    }
}
