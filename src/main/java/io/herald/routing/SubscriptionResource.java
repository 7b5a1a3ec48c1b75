package io.herald.routing;

import io.herald.identity.Role;
import io.herald.platform.problem.Problem;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPage;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
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
import java.util.Map;

/** {@code /api/v1/subscriptions}, as described in openapi.yaml. */
@Path("/api/v1/subscriptions")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionResource {
    private final SubscriptionService subscriptions;

    SubscriptionResource(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Response create(SubscriptionIn in, @Context UriInfo uri) {
        SubscriptionOut created = subscriptions.create(in);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    public SubscriptionPage list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        return subscriptions.list(after, limit);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}")
    public SubscriptionOut get(@PathParam("id") String id) {
        return subscriptions.get(id);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @GET
    @Path("/{id}/secret")
    public Map<String, String> secret(@PathParam("id") String id) {
        return Map.of("secret", subscriptions.secret(id));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @PATCH
    @Path("/{id}")
    public SubscriptionOut update(@PathParam("id") String id, SubscriptionPatch patch) {
        return subscriptions.update(id, patch);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @QueryParam("force") boolean force) {
        subscriptions.delete(id, force);
        return Response.noContent().build();
    }
}
