package io.herald.delivery;

import io.herald.delivery.DeliveryDtos.AttemptList;
import io.herald.delivery.DeliveryDtos.DeliveryOut;
import io.herald.delivery.DeliveryDtos.RetryOut;
import io.herald.identity.Role;
import io.herald.platform.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Deliveries and their attempts, and the operator's actions on one, as described in openapi.yaml. */
@Path("/api/v1/deliveries")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class DeliveryResource {
    private final DeliveryService deliveries;

    DeliveryResource(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}")
    public DeliveryOut get(@PathParam("id") String id) {
        return deliveries.get(id);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}/attempts")
    public AttemptList attempts(@PathParam("id") String id) {
        return deliveries.attempts(id);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/retry")
    public RetryOut retry(@PathParam("id") String id) {
        return deliveries.retryNow(id);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/discard")
    public DeliveryOut discard(@PathParam("id") String id) {
        return deliveries.discard(id);
    }
}
