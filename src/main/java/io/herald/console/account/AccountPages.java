package io.herald.console.account;

import io.herald.console.ConsoleForms;
import io.herald.console.ConsoleProblem;
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
import org.jboss.resteasy.reactive.RestForm;

/** Local console accounts, for admins: who may sign in, with which role. */
@Path("/console/accounts")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
public class AccountPages {
    private final AccountService accounts;

    AccountPages(AccountService accounts) {
        this.accounts = accounts;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                List<AccountService.AccountOut> accounts, String username, String role, ConsoleProblem problem);

        static native TemplateInstance confirmDelete(String username);
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(accounts.list(), "", "viewer", null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String username, @RestForm String password, @RestForm String role) {
        try {
            accounts.create(username, password, role);
            return ConsoleForms.seeOther("/console/accounts");
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused, Templates.list(accounts.list(), username, role, ConsoleProblem.of(refused)));
        }
    }

    @GET
    @Path("{username}/delete")
    public TemplateInstance confirmDelete(@PathParam("username") String username) {
        return Templates.confirmDelete(username);
    }

    @POST
    @Path("{username}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("username") String username) {
        try {
            accounts.delete(username);
            return ConsoleForms.seeOther("/console/accounts");
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused, Templates.list(accounts.list(), "", "viewer", ConsoleProblem.of(refused)));
        }
    }
}
