package io.herald.ingest;

import static io.herald.ingest.EventRules.checkData;
import static io.herald.ingest.EventRules.checkSize;
import static io.herald.ingest.EventRules.checkText;
import static io.herald.ingest.EventRules.isJson;
import static io.herald.ingest.EventRules.mediaType;
import static io.herald.ingest.EventRules.optional;
import static io.herald.ingest.EventRules.required;
import static io.herald.ingest.EventRules.schemaVersion;
import static io.herald.ingest.EventRules.text;
import static io.herald.ingest.EventRules.time;
import static io.herald.ingest.EventRules.unsupported;
import static io.herald.ingest.EventRules.utf8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads an ingest request in any of its content modes into draft events:
 * <ul>
 * <li>{@code application/json}: the body is the event's data; {@code Herald-Event-*} headers give id, type, subject,
 *     source and {@code Herald-Schema-Version}; a JSON array is a batch, one event's data per element;</li>
 * <li>CloudEvents binary mode: {@code ce-*} headers carry the attributes, the body is the data;</li>
 * <li>CloudEvents structured mode ({@code application/cloudevents+json}) and batches
 *     ({@code application/cloudevents-batch+json}).</li>
 * </ul>
 * Herald carries JSON data only. The extension attribute {@code schemaversion} names the schema version to validate
 * against (the latest otherwise).
 */
@Singleton
public class EventParser {
    static final String CE_STRUCTURED = "application/cloudevents+json";
    static final String CE_BATCH = "application/cloudevents-batch+json";
    static final String HEADER_ID = "Herald-Event-Id";
    static final String HEADER_TYPE = "Herald-Event-Type";
    static final String HEADER_SUBJECT = "Herald-Event-Subject";
    static final String HEADER_SOURCE = "Herald-Event-Source";
    static final String HEADER_SCHEMA_VERSION = "Herald-Schema-Version";
    private static final Set<String> CORE_ATTRIBUTES = Set.of(
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "data",
            "data_base64",
            "schemaversion");
    /** Binary-mode headers read as core attributes; every other {@code ce-*} header is an extension attribute. */
    private static final Set<String> CORE_HEADERS =
            Set.of("ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time", "ce-schemaversion");

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    private final ObjectMapper json;
    /** Reads request bodies with the data depth bound (plus the envelope and batch levels around the data). */
    private final ObjectMapper bodyJson;

    private final IngestConfig config;

    EventParser(ObjectMapper json, IngestConfig config) {
        this.json = json;
        this.config = config;
        JsonFactory bounded = json.getFactory().copy();
        bounded.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(config.maxDataDepth() + 2)
                .build());
        this.bodyJson = json.copyWith(bounded);
    }

    /** The drafts of a request; {@code batch} when the request was a batch (answered item by item). */
    public record Parsed(List<Draft> drafts, boolean batch) {}

    public Parsed parse(
            String topic,
            String contentType,
            Function<String, String> header,
            Iterable<String> headerNames,
            byte[] body) {
        String mediaType = mediaType(contentType);
        body = utf8(body);
        if (header.apply("ce-specversion") != null) {
            return new Parsed(List.of(binary(topic, mediaType, header, headerNames, body)), false);
        }
        if (mediaType == null) {
            throw unsupported("no Content-Type");
        }
        switch (mediaType) {
            case CE_STRUCTURED -> {
                checkSize(body.length, config.maxEventBytes(), "The event");
                return new Parsed(List.of(structured(read(body), "")), false);
            }
            case CE_BATCH -> {
                return new Parsed(batch(read(checkBatchSize(body)), true, topic, header), true);
            }
            default -> {
                if (!isJson(mediaType)) {
                    throw unsupported("Content-Type " + mediaType);
                }
                JsonNode data = read(checkBatchSize(body));
                if (data.isArray()) {
                    return new Parsed(batch(data, false, topic, header), true);
                }
                checkSize(body.length, config.maxEventBytes(), "The event data");
                return new Parsed(
                        List.of(plain(topic, header, data, new String(body, StandardCharsets.UTF_8), "")), false);
            }
        }
    }

    /** A body that is nothing but an event's data (an inbound webhook), with its text as stored. */
    public record Data(JsonNode node, String text) {}

    /** Reads a body that is only event data, with the checks every event's data gets (encoding, depth, numbers). */
    public Data data(byte[] body) {
        byte[] utf8 = utf8(body);
        JsonNode node = read(utf8);
        checkData(node, "", 0, config.maxDataDepth());
        return new Data(node, new String(utf8, StandardCharsets.UTF_8));
    }

    private Draft plain(String topic, Function<String, String> header, JsonNode data, String dataText, String at) {
        Violations violations = new Violations();
        String id = optional(header.apply(HEADER_ID), 255, "header " + HEADER_ID, violations);
        String type = optional(header.apply(HEADER_TYPE), 255, "header " + HEADER_TYPE, violations);
        String subject = optional(header.apply(HEADER_SUBJECT), 1024, "header " + HEADER_SUBJECT, violations);
        String source = optional(header.apply(HEADER_SOURCE), 1024, "header " + HEADER_SOURCE, violations);
        Integer version =
                schemaVersion(header.apply(HEADER_SCHEMA_VERSION), "header " + HEADER_SCHEMA_VERSION, violations);
        violations.throwIfAny();
        checkData(data, at, 0, config.maxDataDepth());
        return new Draft(
                id,
                source == null ? defaultSource(topic) : source,
                type == null ? topic : type,
                subject,
                null,
                "application/json",
                data,
                dataText,
                version,
                null,
                "",
                "");
    }

    private List<Draft> batch(JsonNode items, boolean cloudEvents, String topic, Function<String, String> header) {
        if (!items.isArray()) {
            throw new ApiProblem(
                    ProblemType.MALFORMED_REQUEST,
                    "A batch is a JSON array of " + (cloudEvents ? "CloudEvents" : "event data"));
        }
        if (items.isEmpty()) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "The batch is empty");
        }
        if (items.size() > config.maxBatchEvents()) {
            throw new ApiProblem(
                    ProblemType.PAYLOAD_TOO_LARGE,
                    "The batch holds " + items.size() + " events; at most " + config.maxBatchEvents()
                            + " are accepted per request (herald.ingest.max-batch-events)");
        }
        if (!cloudEvents && header.apply(HEADER_ID) != null) {
            throw new ApiProblem(
                    ProblemType.MALFORMED_REQUEST,
                    "Header " + HEADER_ID + " names one event; a batch gets one id per event "
                            + "(send application/cloudevents-batch+json to give each its id)");
        }
        List<Draft> drafts = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String text = write(item);
            if (text.length() > config.maxEventBytes()) {
                throw new ApiProblem(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "Event " + i + " of the batch is larger than " + config.maxEventBytes()
                                + " bytes (herald.ingest.max-event-bytes)",
                        List.of(new FieldError("/" + i, "too large")));
            }
            try {
                if (cloudEvents) {
                    Draft draft = structured(item, "/" + i);
                    drafts.add(draft);
                } else {
                    Draft single = plain(topic, header, item, text, "/" + i);
                    drafts.add(new Draft(
                            single.ceId(),
                            single.source(),
                            single.type(),
                            single.subject(),
                            null,
                            single.dataContentType(),
                            item,
                            text,
                            single.schemaVersion(),
                            null,
                            "/" + i,
                            "/" + i));
                }
            } catch (ApiProblem problem) {
                errors.addAll(problem.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return drafts;
    }

    /** A CloudEvent in structured form; {@code at} is its pointer in the request body. */
    private Draft structured(JsonNode event, String at) {
        if (!event.isObject()) {
            throw ApiProblem.invalid(List.of(
                    new FieldError(at, "must be a CloudEvent: a JSON object with specversion, id, source and type")));
        }
        Violations violations = new Violations();
        String specversion = text(event, "specversion", at, violations);
        if (specversion == null && !event.has("specversion")) {
            violations.add(at + "/specversion", "is required: \"1.0\"");
        } else if (specversion != null && !specversion.equals("1.0")) {
            violations.add(at + "/specversion", "must be \"1.0\"");
        }
        String id = required(text(event, "id", at, violations), at + "/id", 255, violations);
        String source = required(text(event, "source", at, violations), at + "/source", 1024, violations);
        String type = required(text(event, "type", at, violations), at + "/type", 255, violations);
        String subject = optional(text(event, "subject", at, violations), 1024, at + "/subject", violations);
        OffsetDateTime time = time(text(event, "time", at, violations), at + "/time", violations);
        String contentType = text(event, "datacontenttype", at, violations);
        if (contentType != null && !isJson(mediaType(contentType))) {
            violations.add(at + "/datacontenttype", "'" + contentType + "' is not JSON; Herald carries JSON data only");
        }
        if (event.has("data_base64")) {
            violations.add(at + "/data_base64", "binary data is not supported; Herald carries JSON data in 'data'");
        }
        JsonNode versionNode = event.get("schemaversion");
        Integer version = schemaVersion(
                versionNode == null || versionNode.isNull() ? null : versionNode.asText(),
                at + "/schemaversion",
                violations);
        ObjectNode extensions = json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (CORE_ATTRIBUTES.contains(field.getKey())) {
                continue;
            }
            JsonNode value = field.getValue();
            String pointer = at + "/" + FieldError.token(field.getKey());
            if (!EXTENSION_NAME.matcher(field.getKey()).matches()) {
                violations.add(
                        pointer,
                        "is not a valid CloudEvents attribute name (lowercase letters and digits, at most 20)");
            } else if (value.isTextual()) {
                if (checkText(value.asText(), pointer, violations)) {
                    extensions.set(field.getKey(), value);
                }
            } else if (value.isBoolean() || value.isIntegralNumber() && value.canConvertToInt()) {
                extensions.set(field.getKey(), value);
            } else if (value.isNumber()) {
                violations.add(
                        pointer,
                        "a numeric extension attribute must be a CloudEvents Integer (a whole number from "
                                + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "); send other numbers as strings");
            } else {
                violations.add(pointer, "an extension attribute must be a string, an integer or a boolean");
            }
        }
        violations.throwIfAny();
        JsonNode data = event.has("data") ? event.get("data") : json.nullNode();
        checkData(data, at + "/data", 0, config.maxDataDepth());
        return new Draft(
                id,
                source,
                type,
                subject,
                time,
                contentType == null ? "application/json" : contentType,
                data,
                write(data),
                version,
                extensions.isEmpty() ? null : extensions,
                at,
                at + "/data");
    }

    private Draft binary(
            String topic,
            String mediaType,
            Function<String, String> header,
            Iterable<String> headerNames,
            byte[] body) {
        Violations violations = new Violations();
        if (!"1.0".equals(header.apply("ce-specversion"))) {
            violations.add("/ce-specversion", "header must be 1.0");
        }
        if (mediaType == null || !isJson(mediaType) || mediaType.equals(CE_STRUCTURED) || mediaType.equals(CE_BATCH)) {
            throw unsupported("Content-Type " + mediaType + " in CloudEvents binary mode");
        }
        checkSize(body.length, config.maxEventBytes(), "The event data");
        String id = required(header.apply("ce-id"), "/ce-id", 255, violations);
        String source = required(header.apply("ce-source"), "/ce-source", 1024, violations);
        String type = required(header.apply("ce-type"), "/ce-type", 255, violations);
        String subject = optional(header.apply("ce-subject"), 1024, "/ce-subject", violations);
        OffsetDateTime time = time(header.apply("ce-time"), "/ce-time", violations);
        Integer version = schemaVersion(header.apply("ce-schemaversion"), "/ce-schemaversion", violations);
        ObjectNode extensions = json.createObjectNode();
        for (String name : headerNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("ce-") || CORE_HEADERS.contains(lower) || extensions.has(lower.substring(3))) {
                continue;
            }
            String attribute = lower.substring(3);
            String value = header.apply(name);
            if (!EXTENSION_NAME.matcher(attribute).matches()) {
                violations.add(
                        "/" + FieldError.token(lower),
                        "header does not name a valid CloudEvents attribute (lowercase letters and digits, at most 20)");
            } else if (value != null && checkText(value, "/" + lower, violations)) {
                extensions.put(attribute, value);
            }
        }
        violations.throwIfAny();
        JsonNode data = read(body);
        checkData(data, "", 0, config.maxDataDepth());
        return new Draft(
                id,
                source,
                type,
                subject,
                time,
                mediaType,
                data,
                new String(body, StandardCharsets.UTF_8),
                version,
                extensions.isEmpty() ? null : extensions,
                "",
                "");
    }

    // ---------------------------------------------------------------------------------------------------------

    private JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "The request body is empty; send the event as JSON");
        }
        try {
            return bodyJson.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new ApiProblem(
                    ProblemType.MALFORMED_REQUEST,
                    "The event data is nested deeper than " + config.maxDataDepth()
                            + " levels of arrays and objects (herald.ingest.max-data-depth)");
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] checkBatchSize(byte[] body) {
        checkSize(body.length, Math.max(config.maxBatchBytes(), config.maxEventBytes()), "The request");
        return body;
    }

    private static String defaultSource(String topic) {
        return "/topics/" + topic;
    }
}
