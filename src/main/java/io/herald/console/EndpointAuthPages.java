package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import io.herald.routing.SubscriptionDtos.WebhookAuthIn;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import io.herald.routing.SubscriptionDtos.WebhookTlsIn;
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

/**
 * How Herald authenticates to a webhook endpoint: what is set (never a secret), and forms that replace the
 * authentication (Basic, bearer, OAuth2 client credentials, or none) or the mutual TLS settings. Secrets typed here are
 * sent to the API's checks and stored encrypted like any other; the page never shows them again.
 */
@Path("/console/subscriptions/{id}/auth")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_NAME)
public class EndpointAuthPages {
    private final SubscriptionService subscriptions;

    EndpointAuthPages(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** The non-secret fields as typed, so a refused form keeps them. */
    public record AuthForm(
            String type, String username, String tokenUrl, String clientId, String scope, String audience) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance auth(
                SubscriptionOut subscription, AuthForm form, String saved, ConsoleProblem problem);
    }

    @GET
    public TemplateInstance show(@PathParam("id") String id) {
        SubscriptionOut subscription = subscriptions.get(id);
        return Templates.auth(subscription, formOf(subscription), null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response saveAuth(
            @PathParam("id") String id,
            @RestForm String type,
            @RestForm String username,
            @RestForm String password,
            @RestForm String token,
            @RestForm String tokenUrl,
            @RestForm String clientId,
            @RestForm String clientSecret,
            @RestForm String scope,
            @RestForm String audience) {
        AuthForm form = new AuthForm(type, username, tokenUrl, clientId, scope, audience);
        WebhookAuthIn auth = new WebhookAuthIn(
                blankToNull(type),
                blankToNull(username),
                blankToNull(password),
                blankToNull(token),
                blankToNull(tokenUrl),
                blankToNull(clientId),
                blankToNull(clientSecret),
                blankToNull(scope),
                blankToNull(audience));
        return save(
                id, new WebhookIn(null, null, null, null, null, null, null, auth, null), form, "Authentication saved.");
    }

    @POST
    @Path("tls")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response saveTls(
            @PathParam("id") String id,
            @RestForm String clientCertificate,
            @RestForm String clientKey,
            @RestForm String caCertificates) {
        WebhookTlsIn tls =
                new WebhookTlsIn(blankToNull(clientCertificate), blankToNull(clientKey), blankToNull(caCertificates));
        return save(
                id,
                new WebhookIn(null, null, null, null, null, null, null, null, tls),
                formOf(subscriptions.get(id)),
                "TLS settings saved.");
    }

    private Response save(String id, WebhookIn change, AuthForm form, String done) {
        try {
            SubscriptionOut saved = subscriptions.update(
                    id, new SubscriptionPatch(null, null, null, change, null, null, null, null, null, null, null));
            return Response.ok(Templates.auth(saved, formOf(saved), done, null)).build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused, Templates.auth(subscriptions.get(id), form, null, ConsoleProblem.of(refused)));
        }
    }

    private static AuthForm formOf(SubscriptionOut subscription) {
        var auth =
                subscription.webhook() == null ? null : subscription.webhook().auth();
        return auth == null
                ? new AuthForm("none", "", "", "", "", "")
                : new AuthForm(
                        auth.type(), auth.username(), auth.tokenUrl(), auth.clientId(), auth.scope(), auth.audience());
    }
}
