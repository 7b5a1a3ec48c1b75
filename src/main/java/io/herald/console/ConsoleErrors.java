package io.herald.console;

import io.herald.platform.problem.Problem;
import io.herald.platform.problem.ProblemMapper;
import io.herald.platform.problem.ProblemTable;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors on console pages are pages (standalone: they may be rendered before the session or CSRF token is known): the
 * same problem the API would answer, in words, with the way back. Requests outside the console keep their problem+json.
 */
public class ConsoleErrors {
    private final ProblemMapper problems;

    ConsoleErrors(ProblemMapper problems) {
        this.problems = problems;
    }

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(Problem problem);
    }

    @ServerExceptionMapper(
            priority = Priorities.USER - 100,
            value = {
                Throwable.class,
                com.fasterxml.jackson.core.JsonProcessingException.class,
                com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
                jakarta.ws.rs.WebApplicationException.class,
                io.quarkus.security.UnauthorizedException.class,
                io.quarkus.security.AuthenticationFailedException.class,
                io.quarkus.security.ForbiddenException.class
            })
    public Response toResponse(Throwable error, HttpServerRequest request) {
        Problem problem = ProblemTable.toProblem(error);
        if (!request.path().startsWith("/console")) {
            return problems.response(problem);
        }
        // Authentication runs lazily, so its failures arrive here: answer them as the sign-in form does.
        if (error instanceof io.quarkus.security.AuthenticationFailedException) {
            return Response.status(302)
                    .location(java.net.URI.create("/console/login/failed"))
                    .build();
        }
        if (error instanceof io.quarkus.security.UnauthorizedException) {
            return Response.status(302)
                    .location(java.net.URI.create("/console/login"))
                    .build();
        }
        return Response.status(problem.status())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(problem))
                .build();
    }
}
