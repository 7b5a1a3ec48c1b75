package io.herald.console.account;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sign-in page of local accounts. Quarkus form authentication checks the posted credentials and keeps the
 * session in an encrypted, HttpOnly, SameSite=Strict cookie; signing out expires that cookie and ends the account's
 * sessions, so a copy of the cookie stops working too (see {@link LocalSignIn}). (OIDC sign-in for external mode plugs
 * in beside this as another authentication mechanism.)
 */
@PermitAll
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {
    private final String cookieName;
    private final SecurityIdentity identity;
    private final ConsoleAccounts accounts;

    LoginResource(
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
                    String cookieName,
            SecurityIdentity identity,
            ConsoleAccounts accounts) {
        this.cookieName = cookieName;
        this.identity = identity;
        this.accounts = accounts;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean failed);
    }

    @GET
    @Path("login")
    public TemplateInstance login() {
        return Templates.login(false);
    }

    @GET
    @Path("login/failed")
    public Response failed() {
        return Response.status(401).entity(Templates.login(true)).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout() {
        String username = identity.isAnonymous() ? null : identity.getAttribute(LocalSignIn.USERNAME);
        if (username != null) {
            accounts.endSessions(username);
        }
        NewCookie expired = new NewCookie.Builder(cookieName)
                .path("/console")
                .value("")
                .maxAge(0)
                .httpOnly(true)
                .build();
        return Response.seeOther(URI.create("/console/login")).cookie(expired).build();
    }
}
