package io.herald.transform;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription's transformation: a JSONata expression that takes the event (its CloudEvents attributes and
 * {@code data}) and returns what to deliver, an object of {@code body} (replaces the data; the data when absent),
 * {@code headers} (added to a webhook request) and {@code skip} ({@code true}: not delivered, recorded SKIPPED).
 *
 * <p>Sandboxed by the language (no I/O, no host access) and bounded here: evaluation time and recursion depth through
 * JSONata's runtime bounds, which are checked at every evaluation step; {@code $pad}, the one built-in whose cost grows
 * with an argument rather than with steps (and quadratically), is capped at {@value #MAX_PAD_WIDTH} characters; the
 * range operator is capped by JSONata itself; the result must serialize within {@value #MAX_BODY_BYTES} bytes.
 * Thread-safe: one compiled expression serves every lane.
 */
public final class Transformation {
    public static final int MAX_SOURCE_CHARS = 16_384;
    public static final int MAX_BODY_BYTES = 1_048_576;
    static final int MAX_PAD_WIDTH = 10_000;
    private static final Set<String> RESULT_KEYS = Set.of("body", "headers", "skip");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    /** Set by Herald on every request (the signature covers them) or by the HTTP client. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "content-type",
            "content-length",
            "transfer-encoding",
            "connection",
            "host",
            "user-agent",
            "traceparent",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
            "authorization");

    private static final Jsonata.JFunction BOUNDED_PAD = Jsonata.function(
            "pad",
            (Jsonata.FnVarArgs<String>) args -> {
                Object width = args.size() > 1 ? args.get(1) : null;
                if (width instanceof Number number && Math.abs(number.doubleValue()) > MAX_PAD_WIDTH) {
                    throw new JException("D3099: $pad is limited to a width of " + MAX_PAD_WIDTH + " characters", -1);
                }
                return Functions.pad(
                        (String) args.get(0),
                        width == null ? null : ((Number) width).intValue(),
                        args.size() > 2 ? (String) args.get(2) : null);
            },
            "<s-ns?:s>");

    private final String source;
    private final Jsonata expression;

    private Transformation(String source, Jsonata expression) {
        this.source = source;
        this.expression = expression;
    }

    /** How long one evaluation may run and how deep it may recurse. */
    public record Bounds(Duration timeout, int maxDepth) {}

    /** What to deliver: {@code body} null keeps the event's data. */
    public record Result(JsonNode body, Map<String, String> headers, boolean skip) {}

    /** Parses the expression; the error names JSONata's code and the position in the expression. */
    public static Transformation compile(String source) throws TransformationException {
        if (source == null || source.isBlank()) {
            throw new TransformationException(null, -1, "is empty");
        }
        if (source.length() > MAX_SOURCE_CHARS) {
            throw new TransformationException(null, -1, "is longer than " + MAX_SOURCE_CHARS + " characters");
        }
        try {
            return new Transformation(source, Jsonata.jsonata(source));
        } catch (JException e) {
            throw problem(e);
        } catch (StackOverflowError e) {
            throw new TransformationException(null, -1, "is nested too deeply to parse");
        } catch (RuntimeException e) {
            throw new TransformationException(null, -1, "does not parse: " + e.getMessage());
        }
    }

    public String source() {
        return source;
    }

    /** Runs the expression on {@code input} (the event as JSON) within the bounds and checks its result. */
    public Result apply(JsonNode input, Bounds bounds, ObjectMapper json) throws TransformationException {
        Object result;
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.bind("pad", BOUNDED_PAD);
            frame.setRuntimeBounds(bounds.timeout().toMillis(), bounds.maxDepth());
            result = expression.evaluate(json.convertValue(input, Object.class), frame);
        } catch (JException e) {
            throw problem(e);
        } catch (StackOverflowError e) {
            throw new TransformationException(null, -1, "recursed too deeply");
        } catch (RuntimeException e) {
            throw new TransformationException(
                    null, -1, "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return result(result, json);
    }

    private static Result result(Object result, ObjectMapper json) throws TransformationException {
        if (result == null) {
            throw new TransformationException(
                    "H0001", -1, "returned nothing: return an object such as {\"body\": ...} or {\"skip\": true}");
        }
        if (!(result instanceof Map<?, ?> map)) {
            throw new TransformationException(
                    "H0002",
                    -1,
                    "returned " + describe(result) + ": it must return an object of body, headers and skip");
        }
        for (Object key : map.keySet()) {
            if (!RESULT_KEYS.contains(String.valueOf(key))) {
                throw new TransformationException(
                        "H0003", -1, "returned the key '" + key + "': the result has only body, headers and skip");
            }
        }
        Object skip = map.get("skip");
        if (skip != null && !(skip instanceof Boolean)) {
            throw new TransformationException("H0004", -1, "returned a skip that is not true or false");
        }
        Map<String, String> headers = headers(map.get("headers"));
        JsonNode body = null;
        if (map.containsKey("body")) {
            body = tree(map.get("body"));
            try {
                if (json.writeValueAsBytes(body).length > MAX_BODY_BYTES) {
                    throw new TransformationException("H0005", -1, "returned a body over " + MAX_BODY_BYTES + " bytes");
                }
            } catch (JsonProcessingException e) {
                throw new TransformationException("H0005", -1, "returned a body that is not JSON: " + e.getMessage());
            }
        }
        return new Result(body, headers, Boolean.TRUE.equals(skip));
    }

    private static Map<String, String> headers(Object value) throws TransformationException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new TransformationException("H0006", -1, "returned headers that are not an object of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> header : map.entrySet()) {
            String name = String.valueOf(header.getKey());
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new TransformationException("H0006", -1, "returned the header name '" + name + "', not a token");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new TransformationException(
                        "H0006", -1, "returned the header '" + name + "', which Herald sets itself");
            }
            if (!(header.getValue() instanceof String text) || text.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw new TransformationException(
                        "H0006", -1, "returned a value of header '" + name + "' that is not a one-line string");
            }
            headers.put(name, text);
        }
        return headers;
    }

    /** JSONata's values as JSON; a function (or anything else JSON cannot hold) is an error, not a bean. */
    private static JsonNode tree(Object value) throws TransformationException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null || value == Jsonata.NULL_VALUE) {
            return nodes.nullNode();
        }
        if (value instanceof String text) {
            return nodes.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return nodes.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                throw new TransformationException("H0007", -1, "returned a number JSON cannot hold: " + number);
            }
            return number == Math.rint(number) && Math.abs(number) < 1e15
                    ? nodes.numberNode(number.longValue())
                    : nodes.numberNode(number);
        }
        if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof Float) {
            return nodes.numberNode(new BigDecimal(value.toString()));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                object.set(String.valueOf(entry.getKey()), tree(entry.getValue()));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            for (Object item : list) {
                array.add(tree(item));
            }
            return array;
        }
        throw new TransformationException("H0007", -1, "returned " + describe(value) + " in the body");
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "an array";
        }
        return "a function";
    }

    private static TransformationException problem(JException e) {
        String message = e.getMessage() == null ? e.getError() : e.getMessage();
        String code = e.getError() != null && e.getError().matches("[A-Z]\\d{4}") ? e.getError() : null;
        if ("D3137".equals(code) && e.getCurrent() instanceof String raised) {
            message = raised; // $error("...") raised by the expression itself: its own words
        }
        if (message != null && message.contains("Expression evaluation timeout")) {
            message = "ran out of time (an endless loop, or too much work for one event)";
        } else if (message != null && message.contains("Stack overflow")) {
            message = "recursed too deeply";
        }
        return new TransformationException(code, e.getLocation(), message);
    }
}
