package io.herald.platform.problem;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Answers paths under {@code /api} that no resource serves with a problem+json 404, instead of the HTTP layer's
 * plain-text one. JAX-RS prefers any resource with a longer literal path, so this only sees what nothing else matches.
 */
@PermitAll
@Path("/api/{path: .*}")
public class UnknownApiPathResource {

    @GET
    public void get(@PathParam("path") String path) {
        throw unknown(path);
    }

    @POST
    public void post(@PathParam("path") String path) {
        throw unknown(path);
    }

    @PUT
    public void put(@PathParam("path") String path) {
        throw unknown(path);
    }

    @PATCH
    public void patch(@PathParam("path") String path) {
        throw unknown(path);
    }

    @DELETE
    public void delete(@PathParam("path") String path) {
        throw unknown(path);
    }

    private static ApiProblem unknown(String path) {
        return new ApiProblem(ProblemType.NOT_FOUND, "No API resource at /api/" + path + "; openapi.yaml lists them");
    }
}
