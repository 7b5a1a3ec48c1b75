package io.herald.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/** What every console form needs: blank fields as absent, JSON fields parsed strictly, refusals shown in place. */
@Singleton
public class ConsoleForms {
    private final ObjectMapper json;

    ConsoleForms(ObjectMapper json) {
        this.json = json;
    }

    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Parses a JSON field of a form; a mistake is a 422 that names the field and the line and column. */
    public JsonNode parse(String text, String field) {
        if (blankToNull(text) == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new ApiProblem(
                    ProblemType.MALFORMED_REQUEST,
                    field + " is not valid JSON" + where + ": " + e.getOriginalMessage(),
                    List.of(new FieldError("/" + field, "not valid JSON" + where)));
        }
    }

    public String pretty(JsonNode node) {
        if (node == null) {
            return "";
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** Pretty-prints stored JSON text; text that is not JSON is shown as it is. */
    public String pretty(String text) {
        if (text == null) {
            return "";
        }
        try {
            return pretty(json.readTree(text));
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** Runs a change and answers 303 to {@code next}; a refusal re-renders the form with the problem, status kept. */
    public static Response submit(
            Runnable change, String next, java.util.function.Function<ConsoleProblem, Object> onRefusal) {
        try {
            change.run();
            return seeOther(next);
        } catch (ApiProblem problem) {
            return refused(problem, onRefusal.apply(ConsoleProblem.of(problem)));
        }
    }

    /** The page that shows a refusal, answered with the refusal's status (422, 409, 404...). */
    public static Response refused(ApiProblem problem, Object page) {
        return Response.status(problem.type().status()).entity(page).build();
    }

    public static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).build();
    }

    public static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiProblem notFound) {
            return null;
        }
    }
}
