package io.herald.console;

import io.herald.delivery.DeliveryDtos;
import io.herald.delivery.DeliveryService;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** One delivery: its attempt timeline; retry it now, or discard it after confirming. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeliveryPages {
    private final DeliveryService deliveries;

    DeliveryPages(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance delivery(
                DeliveryDtos.DeliveryOut delivery,
                List<DeliveryDtos.AttemptOut> attempts,
                String notice,
                ConsoleProblem problem);

        static native TemplateInstance confirmDiscard(DeliveryDtos.DeliveryOut delivery);
    }

    @GET
    @Path("{id}")
    public TemplateInstance delivery(@PathParam("id") String id) {
        return Templates.delivery(deliveries.get(id), deliveries.attempts(id).items(), null, null);
    }

    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response retry(@PathParam("id") String id) {
        try {
            DeliveryDtos.RetryOut out = deliveries.retryNow(id);
            String notice = "Retried: " + out.attempt().outcome().toLowerCase()
                    + (out.attempt().statusCode() == null
                            ? ""
                            : " with HTTP " + out.attempt().statusCode());
            return Response.ok(Templates.delivery(
                            out.delivery(), deliveries.attempts(id).items(), notice, null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused,
                    Templates.delivery(
                            deliveries.get(id), deliveries.attempts(id).items(), null, ConsoleProblem.of(refused)));
        }
    }

    @GET
    @Path("{id}/discard")
    @RolesAllowed(Role.OPERATOR_NAME)
    public TemplateInstance confirmDiscard(@PathParam("id") String id) {
        return Templates.confirmDiscard(deliveries.get(id));
    }

    @POST
    @Path("{id}/discard")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response discard(@PathParam("id") String id) {
        try {
            deliveries.discard(id);
            return ConsoleForms.seeOther("/console/deliveries/" + id);
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused,
                    Templates.delivery(
                            deliveries.get(id), deliveries.attempts(id).items(), null, ConsoleProblem.of(refused)));
        }
    }
}
