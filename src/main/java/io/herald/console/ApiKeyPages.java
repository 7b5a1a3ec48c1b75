package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import io.herald.identity.ApiKeyDtos;
import io.herald.identity.ApiKeyService;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/** API keys, for admins: create one (shown once), see them with their last use, revoke after confirming. */
@Path("/console/api-keys")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
public class ApiKeyPages {
    private final ApiKeyService keys;
    private final SecurityIdentity identity;

    ApiKeyPages(ApiKeyService keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    public record KeyForm(String name, String role, String topicPatterns, String expiresAt) {
        static final KeyForm EMPTY = new KeyForm("", "publisher", "", "");
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                ApiKeyDtos.ApiKeyList keys, KeyForm form, ApiKeyDtos.ApiKeyOut created, ConsoleProblem problem);

        static native TemplateInstance confirmRevoke(ApiKeyDtos.ApiKeyOut key);
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(keys.list(), KeyForm.EMPTY, null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @RestForm String name, @RestForm String role, @RestForm String topicPatterns, @RestForm String expiresAt) {
        KeyForm form = new KeyForm(name, role, topicPatterns, expiresAt);
        try {
            List<String> patterns = blankToNull(topicPatterns) == null
                    ? null
                    : Arrays.stream(topicPatterns.split("[,\\s]+"))
                            .filter(p -> !p.isBlank())
                            .toList();
            Instant expires = blankToNull(expiresAt) == null ? null : Instant.parse(EventPages.utc(expiresAt));
            ApiKeyDtos.ApiKeyOut created = keys.create(
                    new ApiKeyDtos.ApiKeyIn(name, blankToNull(role), patterns, expires),
                    io.herald.console.account.LocalSignIn.username(identity));
            return Response.ok(Templates.list(keys.list(), KeyForm.EMPTY, created, null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, Templates.list(keys.list(), form, null, ConsoleProblem.of(refused)));
        } catch (java.time.format.DateTimeParseException e) {
            return Response.status(422)
                    .entity(Templates.list(
                            keys.list(),
                            form,
                            null,
                            ConsoleProblem.of(
                                    "Validation failed", "Expiry must be a date and time, e.g. 2027-01-31T18:00")))
                    .build();
        }
    }

    @GET
    @Path("{id}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("id") String id) {
        return Templates.confirmRevoke(keys.get(id));
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") String id) {
        keys.revoke(id);
        return ConsoleForms.seeOther("/console/api-keys");
    }
}
