package io.herald.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What makes an event's attributes and data acceptable, by the standards they follow: CloudEvents 1.0 (attribute types,
 * RFC 3339 times), RFC 8259 (JSON is UTF-8), and the limits that keep every stored event servable (ADR 0012). Each
 * check adds a violation with the pointer of what it refuses.
 */
public final class EventRules {
    /** RFC 3339 date-time: four-digit year, 'T', seconds, optional fraction, 'Z' or an offset. */
    private static final Pattern RFC_3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})");

    private EventRules() {}

    /** Null if the value can be an event attribute of at most {@code maxBytes} UTF-8 bytes, otherwise why not. */
    public static String attributeProblem(String value, int maxBytes) {
        Violations violations = new Violations();
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "is longer than " + maxBytes + " bytes (UTF-8)";
        }
        return checkText(value, "", violations) ? null : "holds a control character, surrogate or noncharacter";
    }

    /**
     * A CloudEvents String: Unicode text without control characters, surrogates or noncharacters (CloudEvents 1.0,
     * type system). False, with a violation, otherwise.
     */
    static boolean checkText(String value, String pointer, Violations violations) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            boolean control = c < 0x20 || c >= 0x7f && c <= 0x9f;
            boolean nonCharacter = c >= 0xfdd0 && c <= 0xfdef || (c & 0xfffe) == 0xfffe;
            if (control || nonCharacter || Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
                violations.add(
                        pointer.startsWith("header") ? "/" + pointer.substring(7) : pointer,
                        "must not contain U+" + String.format("%04X", c)
                                + " (a CloudEvents String holds no control characters, surrogates or noncharacters)");
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * Data Herald could store but not serve back as the same JSON, or only at a cost that grows without bound: nesting
     * beyond the configured depth, numbers beyond a double's range.
     */
    static void checkData(JsonNode data, String pointer, int depth, int maxDepth) {
        if (data.isContainerNode()) {
            if (depth == maxDepth) {
                throw new ApiProblem(
                        ProblemType.MALFORMED_REQUEST,
                        "The event data is nested deeper than " + maxDepth
                                + " levels of arrays and objects (herald.ingest.max-data-depth)",
                        List.of(new FieldError(pointer, "nested too deep")));
            }
            if (data.isArray()) {
                for (int i = 0; i < data.size(); i++) {
                    checkData(data.get(i), pointer + "/" + i, depth + 1, maxDepth);
                }
            } else {
                data.fields()
                        .forEachRemaining(field -> checkData(
                                field.getValue(),
                                pointer + "/" + FieldError.token(field.getKey()),
                                depth + 1,
                                maxDepth));
            }
        } else if (data.isFloatingPointNumber() && !Double.isFinite(data.doubleValue())) {
            throw ApiProblem.invalid(List.of(new FieldError(
                    pointer,
                    "is a number beyond the range of a 64-bit floating-point " + "number; send it as a string")));
        }
    }

    /**
     * JSON travels as UTF-8 (RFC 8259): a UTF-8 byte-order mark is dropped, UTF-16 and UTF-32 are refused, and a
     * charset parameter is ignored (RFC 8259 defines none; some clients add one by default).
     */
    static byte[] utf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            return Arrays.copyOfRange(body, 3, body.length);
        }
        boolean wideBom = body.length >= 2
                && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
                        || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe);
        if (wideBom || body.length >= 2 && (body[0] == 0 || body[1] == 0)) {
            throw new ApiProblem(
                    ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "The body is not UTF-8 (it looks like UTF-16 or UTF-32); "
                            + "JSON is exchanged as UTF-8 (RFC 8259)");
        }
        return body;
    }

    static String required(String value, String pointer, int max, Violations violations) {
        if (value == null || value.isEmpty()) {
            violations.add(pointer, "is required and must not be empty");
            return null;
        }
        return optional(value, max, pointer, violations);
    }

    /**
     * An optional attribute of at most {@code max} UTF-8 bytes: bytes, not characters, because the database indexes
     * these columns and an index entry has a size limit (2,704 bytes) that 1,024 three-byte characters would exceed.
     */
    static String optional(String value, int max, String where, Violations violations) {
        if (value != null && (value.length() > max || value.getBytes(StandardCharsets.UTF_8).length > max)) {
            violations.add(
                    where.startsWith("header") ? "/" + where.substring(7) : where,
                    "must be at most " + max + " bytes (UTF-8)");
        } else if (value != null && !checkText(value, where, violations)) {
            return null;
        }
        return value == null || value.isEmpty() ? null : value;
    }

    static OffsetDateTime time(String value, String pointer, Violations violations) {
        if (value == null) {
            return null;
        }
        if (!RFC_3339.matcher(value).matches() || value.startsWith("0000")) {
            violations.add(
                    pointer,
                    "must be an RFC 3339 timestamp from year 0001 to 9999 such as 2026-11-26T10:15:30Z, not '" + value
                            + "'");
            return null;
        }
        try {
            // PostgreSQL keeps microseconds: cut here, so the time stored and the one sent from memory are the same.
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            violations.add(pointer, "must be an RFC 3339 timestamp such as 2026-11-26T10:15:30Z, not '" + value + "'");
            return null;
        }
    }

    static Integer schemaVersion(String value, String where, Violations violations) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int version = Integer.parseInt(value.trim());
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(
                where.startsWith("header") ? "/" + where.substring(7) : where,
                "must be a schema version number (1, 2, ...), not '" + value + "'");
        return null;
    }

    static void checkSize(int size, int limit, String what) {
        if (size > limit) {
            throw new ApiProblem(
                    ProblemType.PAYLOAD_TOO_LARGE, what + " is " + size + " bytes; the limit is " + limit + " bytes");
        }
    }

    static String text(JsonNode event, String attribute, String at, Violations violations) {
        JsonNode value = event.get(attribute);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(at + "/" + attribute, "must be a string");
            return null;
        }
        return value.asText();
    }

    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    static boolean isJson(String mediaType) {
        return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
    }

    /** 415 for a media type Herald does not take, listing those it does. */
    static ApiProblem unsupported(String what) {
        return new ApiProblem(
                ProblemType.UNSUPPORTED_MEDIA_TYPE,
                what + " is not accepted; send application/json, " + EventParser.CE_STRUCTURED + ", "
                        + EventParser.CE_BATCH + ", or CloudEvents binary mode (ce-* headers) with JSON data");
    }
}
