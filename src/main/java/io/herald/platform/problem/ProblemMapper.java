package io.herald.platform.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one mapper: every exception that leaves a resource becomes problem+json through {@link ProblemTable}. Declared
 * for Throwable and for the types Quarkus would otherwise map itself (its own Jackson and JAX-RS mappers answer in
 * other shapes).
 */
public class ProblemMapper {
    private final ObjectMapper json;

    ProblemMapper(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper({
        Throwable.class,
        com.fasterxml.jackson.core.JsonProcessingException.class,
        com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
        jakarta.ws.rs.WebApplicationException.class,
        io.quarkus.security.UnauthorizedException.class,
        io.quarkus.security.AuthenticationFailedException.class,
        io.quarkus.security.ForbiddenException.class
    })
    public Response toResponse(Throwable error) {
        return response(ProblemTable.toProblem(error));
    }

    public Response response(Problem problem) {
        try {
            Response.ResponseBuilder response =
                    Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(json.writeValueAsString(problem));
            if (problem.status() == 401) {
                response.header("WWW-Authenticate", "Bearer realm=\"herald\"");
            }
            return response.build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            return Response.status(500)
                    .type(Problem.MEDIA_TYPE)
                    .entity("{\"status\":500,\"title\":\"Internal error\"}")
                    .build();
        }
    }
}
