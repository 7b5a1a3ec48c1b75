package io.herald.console;

import io.herald.delivery.DeliveryDtos;
import io.herald.delivery.DeliveryDtos.DeliveryPage;
import io.herald.delivery.DeliveryService;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionService;
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
import org.jboss.resteasy.reactive.RestForm;

/**
 * Retries and dead letters of one subscription: what is failing (retrying) and what gave up (exhausted); redrive a
 * selection or all, and replay a time window after seeing how many events it would send.
 */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/subscriptions/{subscription}/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeadLetterPages {
    private final SubscriptionService subscriptions;
    private final DeliveryService deliveries;
    private final ConsoleForms forms;

    DeadLetterPages(SubscriptionService subscriptions, DeliveryService deliveries, ConsoleForms forms) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.forms = forms;
    }

    public record ReplayForm(String from, String to, String filter) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                SubscriptionOut subscription,
                DeliveryPage retrying,
                DeliveryPage exhausted,
                DeliveryPage waiting,
                String notice,
                ConsoleProblem problem);

        static native TemplateInstance confirmRedriveAll(SubscriptionOut subscription, int exhausted);

        static native TemplateInstance replay(
                SubscriptionOut subscription, ReplayForm form, DeliveryDtos.ReplayOut preview, ConsoleProblem problem);
    }

    @GET
    public TemplateInstance list(@PathParam("subscription") String id) {
        return page(id, null);
    }

    private TemplateInstance page(String id, ConsoleProblem problem) {
        return Templates.list(
                subscriptions.get(id),
                deliveries.ofSubscription(id, "retrying", null, "200"),
                deliveries.ofSubscription(id, "exhausted", null, "200"),
                deliveries.ofSubscription(id, "waiting", null, "200"),
                null,
                problem);
    }

    /** Redrives the ticked exhausted deliveries; none ticked is a mistake here, not "all". */
    @POST
    @Path("redrive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response redriveSelected(
            @PathParam("subscription") String id, @RestForm("deliveryId") List<String> deliveryIds) {
        if (deliveryIds == null || deliveryIds.isEmpty()) {
            return Response.status(422)
                    .entity(page(id, ConsoleProblem.of("Nothing selected", "Tick the deliveries to redrive")))
                    .build();
        }
        return redrive(id, deliveryIds);
    }

    @GET
    @Path("redrive-all")
    @RolesAllowed(Role.OPERATOR_NAME)
    public TemplateInstance confirmRedriveAll(@PathParam("subscription") String id) {
        int exhausted =
                deliveries.ofSubscription(id, "exhausted", null, "500").items().size();
        return Templates.confirmRedriveAll(subscriptions.get(id), exhausted);
    }

    @POST
    @Path("redrive-all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response redriveAll(@PathParam("subscription") String id) {
        return redrive(id, null);
    }

    private Response redrive(String id, List<String> deliveryIds) {
        try {
            DeliveryDtos.RedriveOut out = deliveries.redrive(id, new DeliveryDtos.RedriveIn(deliveryIds));
            return Response.ok(Templates.list(
                            subscriptions.get(id),
                            deliveries.ofSubscription(id, "retrying", null, "200"),
                            deliveries.ofSubscription(id, "exhausted", null, "200"),
                            deliveries.ofSubscription(id, "waiting", null, "200"),
                            out.redriven() + " deliveries redriven",
                            null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, page(id, ConsoleProblem.of(refused)));
        }
    }

    @GET
    @Path("replay")
    @RolesAllowed(Role.OPERATOR_NAME)
    public TemplateInstance replayForm(@PathParam("subscription") String id) {
        return Templates.replay(subscriptions.get(id), new ReplayForm("", "", ""), null, null);
    }

    /** First step: the dry run, whose count is shown with a button to confirm. */
    @POST
    @Path("replay/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response previewReplay(
            @PathParam("subscription") String id, @RestForm String from, @RestForm String to, @RestForm String filter) {
        return replay(id, new ReplayForm(from, to, filter), true);
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response confirmReplay(
            @PathParam("subscription") String id, @RestForm String from, @RestForm String to, @RestForm String filter) {
        return replay(id, new ReplayForm(from, to, filter), false);
    }

    private Response replay(String id, ReplayForm form, boolean dryRun) {
        SubscriptionOut subscription = subscriptions.get(id);
        try {
            DeliveryDtos.ReplayOut out = deliveries.replay(
                    id,
                    new DeliveryDtos.ReplayIn(
                            EventPages.utc(form.from()),
                            EventPages.utc(form.to()),
                            forms.parse(form.filter(), "filter"),
                            dryRun,
                            null));
            return Response.ok(Templates.replay(subscription, form, out, null)).build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused, Templates.replay(subscription, form, null, ConsoleProblem.of(refused)));
        }
    }
}
