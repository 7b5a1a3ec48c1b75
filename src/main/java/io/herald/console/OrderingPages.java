package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
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
import org.jboss.resteasy.reactive.RestForm;

/** Whether a subscription delivers events of one key one at a time, and where the key comes from. */
@Path("/console/subscriptions/{id}/ordering")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_NAME)
public class OrderingPages {
    private final SubscriptionService subscriptions;

    OrderingPages(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ordering(
                SubscriptionOut subscription, boolean ordered, String key, boolean saved, ConsoleProblem problem);
    }

    @GET
    public TemplateInstance show(@PathParam("id") String id) {
        SubscriptionOut subscription = subscriptions.get(id);
        return Templates.ordering(
                subscription, Boolean.TRUE.equals(subscription.ordered()), keyOf(subscription), false, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response save(@PathParam("id") String id, @RestForm String ordered, @RestForm String key) {
        boolean on = "on".equals(ordered);
        String text = key == null ? "" : key.strip();
        try {
            SubscriptionOut saved = subscriptions.update(
                    id, new SubscriptionPatch(null, null, null, null, null, null, null, null, null, on, text));
            return Response.ok(Templates.ordering(saved, on, keyOf(saved), true, null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused,
                    Templates.ordering(
                            subscriptions.get(id), on, blankToNull(text), false, ConsoleProblem.of(refused)));
        }
    }

    private static String keyOf(SubscriptionOut subscription) {
        return "partitionkey".equals(subscription.orderingKey()) ? null : subscription.orderingKey();
    }
}
