package io.herald.platform.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one exception-to-problem table of the API. Entries are tried in order, so a subclass comes before its parent;
 * anything unlisted is a 500 whose body says only that it failed and gives the id under which the log has the
 * details.
 */
public final class ProblemTable {
    private static final Logger LOG = Logger.getLogger(ProblemTable.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Class<? extends Throwable>, Function<Throwable, Problem>> TABLE = new LinkedHashMap<>();

    static {
        entry(ApiProblem.class, e -> problem(e.type(), e.getMessage(), e.errors()));
        entry(UnrecognizedPropertyException.class, e -> malformed("Unknown property '" + e.getPropertyName() + "'", e));
        entry(
                InvalidFormatException.class,
                e -> malformed("Value " + e.getValue() + " is not a valid " + describe(e.getTargetType()), e));
        entry(
                MismatchedInputException.class,
                e -> malformed(
                        e.getTargetType() == null ? e.getOriginalMessage() : "Expected " + describe(e.getTargetType()),
                        e));
        entry(JsonMappingException.class, e -> malformed(e.getOriginalMessage(), e));
        entry(
                JsonParseException.class,
                e -> problem(
                        ProblemType.MALFORMED_REQUEST,
                        "Malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(),
                        List.of()));
        entry(
                JsonProcessingException.class,
                e -> problem(
                        ProblemType.MALFORMED_REQUEST,
                        "Malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(),
                        List.of()));
        entry(
                ServiceUnavailableException.class,
                e -> problem(ProblemType.SERVICE_UNAVAILABLE, e.getMessage() + "; retry later", List.of()));
        entry(
                io.quarkus.security.AuthenticationFailedException.class,
                e -> problem(
                        ProblemType.UNAUTHORIZED,
                        "The credentials were not accepted (unknown, revoked or expired API key, or an invalid token)",
                        List.of()));
        entry(
                io.quarkus.security.UnauthorizedException.class,
                e -> problem(
                        ProblemType.UNAUTHORIZED,
                        "Authentication required: send 'Authorization: Bearer <token or API key>' or 'X-API-Key: <API key>'",
                        List.of()));
        entry(
                io.quarkus.security.ForbiddenException.class,
                e -> problem(ProblemType.FORBIDDEN, "Your role does not allow this", List.of()));
        entry(NotFoundException.class, e -> problem(ProblemType.NOT_FOUND, "No resource at this path", List.of()));
        entry(
                NotAllowedException.class,
                e -> problem(
                        ProblemType.METHOD_NOT_ALLOWED,
                        "This method is not allowed here; allowed: "
                                + e.getResponse().getAllowedMethods(),
                        List.of()));
        entry(
                NotSupportedException.class,
                e -> problem(
                        ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Type is not supported here; send application/json",
                        List.of()));
        entry(
                NotAcceptableException.class,
                e -> problem(
                        ProblemType.NOT_ACCEPTABLE,
                        "No acceptable representation; accept application/json",
                        List.of()));
        entry(WebApplicationException.class, ProblemTable::fromStatus);
    }

    private ProblemTable() {}

    private static <T extends Throwable> void entry(Class<T> type, Function<T, Problem> toProblem) {
        TABLE.put(type, e -> toProblem.apply(type.cast(e)));
    }

    public static Problem toProblem(Throwable error) {
        // Body-parsing failures arrive wrapped (Quarkus: a plain 400); the Jackson cause says where the body is wrong.
        if (!(error instanceof JsonProcessingException) && error.getCause() instanceof JsonProcessingException cause) {
            return toProblem(cause);
        }
        for (Map.Entry<Class<? extends Throwable>, Function<Throwable, Problem>> entry : TABLE.entrySet()) {
            if (entry.getKey().isInstance(error)) {
                return entry.getValue().apply(error);
            }
        }
        String errorId = "err_" + HexFormat.of().formatHex(randomBytes());
        LOG.errorf(error, "Request failed [errorId=%s]", errorId);
        return new Problem(
                ProblemType.INTERNAL_ERROR.uri(),
                ProblemType.INTERNAL_ERROR.title(),
                500,
                "The request failed on the server. Report error id " + errorId + "; the log has the details.",
                null,
                null,
                errorId);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Problem problem(ProblemType type, String detail, List<FieldError> errors) {
        return new Problem(
                type.uri(), type.title(), type.status(), detail, null, errors.isEmpty() ? null : errors, null);
    }

    private static Problem malformed(String detail, JsonMappingException e) {
        String pointer = pointer(e.getPath());
        return problem(
                ProblemType.MALFORMED_REQUEST,
                (pointer.isEmpty() ? "Request body" : pointer) + ": " + detail + at(e.getLocation()),
                List.of(new FieldError(pointer, detail)));
    }

    private static Problem fromStatus(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        for (ProblemType type : ProblemType.values()) {
            if (type.status() == status) {
                return problem(type, type.title(), List.of());
            }
        }
        return status >= 500
                ? toProblem(new IllegalStateException("HTTP " + status, e))
                : new Problem(
                        "about:blank",
                        e.getResponse().getStatusInfo().getReasonPhrase(),
                        status,
                        null,
                        null,
                        null,
                        null);
    }

    static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            pointer.append('/');
            pointer.append(
                    reference.getFieldName() != null
                            ? FieldError.token(reference.getFieldName())
                            : Integer.toString(reference.getIndex()));
        }
        return pointer.toString();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "value; one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type == String.class) {
            return "string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class) {
            return "integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }
}
