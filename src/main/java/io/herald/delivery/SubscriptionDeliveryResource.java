package io.herald.delivery;

import io.herald.delivery.DeliveryDtos.DeliveryPage;
import io.herald.delivery.DeliveryDtos.RedriveIn;
import io.herald.delivery.DeliveryDtos.RedriveOut;
import io.herald.delivery.DeliveryDtos.ReplayIn;
import io.herald.delivery.DeliveryDtos.ReplayOut;
import io.herald.delivery.DeliveryDtos.SecretOut;
import io.herald.identity.Role;
import io.herald.platform.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The delivery side of subscriptions: their deliveries, redrive, replay, test events, transformation tests and secret
 * rotation. Shares its path with
 * the routing part's subscription resource; JAX-RS merges the two.
 */
@Path("/api/v1/subscriptions")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionDeliveryResource {
    private final DeliveryService deliveries;
    private final ReplayJobs replays;
    private final DeliveryConfig config;
    private final TransformationTests transformationTests;

    SubscriptionDeliveryResource(
            DeliveryService deliveries,
            ReplayJobs replays,
            DeliveryConfig config,
            TransformationTests transformationTests) {
        this.deliveries = deliveries;
        this.replays = replays;
        this.config = config;
        this.transformationTests = transformationTests;
    }

    /** Runs the subscription's transformation (or the one given) on a stored event; nothing is delivered. */
    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/transformation/test")
    public TransformationTests.TestOut testTransformation(@PathParam("id") String id, TransformationTests.TestIn in) {
        return transformationTests.test(id, in);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}/deliveries")
    public DeliveryPage ofSubscription(
            @PathParam("id") String id,
            @QueryParam("state") String state,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        return deliveries.ofSubscription(id, state, after, limit);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/redrive")
    public RedriveOut redrive(@PathParam("id") String id, RedriveIn in) {
        return deliveries.redrive(id, in);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/replay")
    public ReplayOut replay(@PathParam("id") String id, ReplayIn in) {
        return deliveries.replay(id, in);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}/replays")
    public ReplayList replays(@PathParam("id") String id) {
        deliveries.requireSubscriptionExists(id);
        return new ReplayList(replays.ofSubscription(id));
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}/replays/{replayId}")
    public ReplayJobs.ReplayJob replay(@PathParam("id") String id, @PathParam("replayId") String replayId) {
        return replays.get(id, replayId);
    }

    public record ReplayList(java.util.List<ReplayJobs.ReplayJob> items) {}

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("/{id}/test")
    public DeliveryDtos.AttemptOut sendTest(@PathParam("id") String id) {
        return deliveries.sendTest(id);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    @Path("/{id}/secret/rotate")
    public SecretOut rotateSecret(@PathParam("id") String id) {
        return deliveries.rotateSecret(id, config.secretRotationGrace());
    }
}
