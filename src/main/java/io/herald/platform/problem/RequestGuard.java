package io.herald.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses API requests that no operation could serve before any of them is read: a request target or headers over
 * their limits (414, 431), a path or query with a control
 * character or broken percent-encoding (PostgreSQL cannot store U+0000, and no name or id may hold one), a
 * {@code Content-Type} that is not a media type, and form bodies (no operation takes one; the HTTP layer would
 * otherwise parse them itself and answer without a body). Each gets a problem+json answer naming what is wrong.
 */
@Singleton
public class RequestGuard {
    /** RFC 9110 media type: type "/" subtype *( OWS ";" OWS parameter ). */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+"
            + "(\\s*;\\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+=([!#$%&'*+.^_`|~0-9A-Za-z-]+|\"([^\"\\\\]|\\\\.)*\"))?)*\\s*");
    /**
     * Limits of the request target and the headers, answered here with problem+json. The HTTP codec's own limits
     * (application.properties) are set above these, since it answers with a bare status.
     */
    static final int MAX_REQUEST_TARGET = 8 * 1024;

    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Before Quarkus' own handlers (security, body, REST), which would answer these in other shapes. */
    private static final int ORDER = -1_000_000;

    private final ObjectMapper json;

    RequestGuard(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::check);
        router.route("/ingest/*").order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        Problem problem = problem(context);
        if (problem == null) {
            context.next();
            return;
        }
        send(context, problem);
    }

    private void send(RoutingContext context, Problem problem) {
        try {
            context.response()
                    .setStatusCode(problem.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException impossible) {
            context.fail(impossible);
        }
    }

    static Problem problem(RoutingContext context) {
        String uri = context.request().uri();
        if (uri != null && uri.length() > MAX_REQUEST_TARGET) {
            return problem(
                    ProblemType.URI_TOO_LONG,
                    "The request target is " + uri.length() + " characters long; at most " + MAX_REQUEST_TARGET
                            + " are accepted",
                    "/path");
        }
        int headerBytes = 0;
        for (var header : context.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            return problem(
                    ProblemType.HEADERS_TOO_LARGE,
                    "The request's headers take " + headerBytes + " bytes; at most " + MAX_HEADER_BYTES
                            + " are accepted",
                    "/headers");
        }
        String path = context.request().path();
        String pathError = decodingError(path == null ? "" : path);
        if (pathError != null) {
            return problem(ProblemType.MALFORMED_REQUEST, "The path " + pathError, "/path");
        }
        String query = context.request().query();
        if (query != null) {
            for (String parameter : query.split("&")) {
                String error = decodingError(parameter);
                if (error != null) {
                    String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                    String decodedName = decodingError(name) == null ? decode(name) : "query";
                    return problem(
                            ProblemType.MALFORMED_REQUEST,
                            "Query parameter '" + decodedName + "' " + error,
                            "/" + FieldError.token(decodedName));
                }
            }
        }
        HttpMethod method = context.request().method();
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            String contentType = context.request().getHeader("Content-Type");
            if (contentType != null && !contentType.isBlank()) {
                if (!MEDIA_TYPE.matcher(contentType).matches()) {
                    return problem(
                            ProblemType.UNSUPPORTED_MEDIA_TYPE,
                            "Content-Type '" + printable(contentType)
                                    + "' is not a media type (type/subtype with optional ;name=value parameters)",
                            "/Content-Type");
                }
                String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (type.startsWith("multipart/") || type.equals("application/x-www-form-urlencoded")) {
                    return problem(
                            ProblemType.UNSUPPORTED_MEDIA_TYPE,
                            "Content-Type " + type
                                    + " is not accepted by the API; send JSON (application/json, or a CloudEvents type on publish)",
                            "/Content-Type");
                }
            }
        }
        return null;
    }

    /** Null if {@code raw} percent-decodes to UTF-8 text without control characters, else what is wrong with it. */
    static String decodingError(String raw) {
        String decoded;
        try {
            decoded = strictDecode(raw);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return "is not valid percent-encoded UTF-8";
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains the control character U+" + String.format("%04X", (int) c)
                        + ", which no name or id may hold";
            }
        }
        return null;
    }

    private static String decode(String raw) {
        try {
            return strictDecode(raw);
        } catch (CharacterCodingException e) {
            return raw;
        }
    }

    private static String strictDecode(String raw) throws CharacterCodingException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                bytes.put((byte) HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString();
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(100).forEach(c -> out.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return out.toString();
    }

    private static Problem problem(ProblemType type, String detail, String pointer) {
        return new Problem(
                type.uri(), type.title(), type.status(), detail, null, List.of(new FieldError(pointer, detail)), null);
    }
}
