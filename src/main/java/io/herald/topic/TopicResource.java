package io.herald.topic;

import io.herald.identity.Role;
import io.herald.platform.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/topics}, as described in openapi.yaml. */
@Path("/api/v1/topics")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class TopicResource {
    private final TopicService topics;

    TopicResource(TopicService topics) {
        this.topics = topics;
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Response create(TopicIn in, @Context UriInfo uri) {
        TopicOut created = topics.create(in);
        return Response.created(
                        uri.getAbsolutePathBuilder().path(created.name()).build())
                .entity(created)
                .build();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    public TopicPage list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        return topics.list(after, limit);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{name}")
    public TopicOut get(@PathParam("name") String name) {
        return topics.get(name);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @PATCH
    @Path("/{name}")
    public TopicOut update(@PathParam("name") String name, TopicPatch patch) {
        return topics.update(name, patch);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        topics.delete(name);
        return Response.noContent().build();
    }
}
