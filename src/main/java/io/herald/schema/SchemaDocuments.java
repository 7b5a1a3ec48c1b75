package io.herald.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.path.PathType;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Violations;
import io.herald.schema.regex.LinearRegex;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reading, checking and compiling JSON Schema documents with networknt's validator. Herald keeps schemas
 * self-contained: {@code $ref} must be local ({@code #...}), so compiling a schema never reaches the network.
 */
@Singleton
public class SchemaDocuments {
    /** Deepest nesting of a schema document (objects and arrays): enough for event data at the ingest depth limit. */
    static final int MAX_SCHEMA_DEPTH = 160;
    /** Meta-schema errors reported for an invalid schema; the rest are counted, not listed. */
    static final int MAX_REPORTED_SCHEMA_ERRORS = 50;

    private final ObjectMapper json;
    private final Map<SchemaDialect, SchemaRegistry> registries = new java.util.EnumMap<>(SchemaDialect.class);
    private final Map<SchemaDialect, Schema> metaSchemas = new java.util.EnumMap<>(SchemaDialect.class);

    SchemaDocuments(ObjectMapper json) {
        this.json = json;
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                // "format" is asserted, not only annotated: an event that is not an email where the schema says so is
                // refused.
                .formatAssertionsEnabled(true)
                .regularExpressionFactory(LinearRegex.FACTORY)
                .build();
        for (SchemaDialect dialect : SchemaDialect.values()) {
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                    dialect.specification(), builder -> builder.schemaRegistryConfig(config));
            registries.put(dialect, registry);
            metaSchemas.put(dialect, registry.getSchema(SchemaLocation.of(dialect.uri())));
        }
    }

    /** The dialect named by {@code $schema}, 2020-12 when absent; a violation when unsupported. */
    SchemaDialect dialectOf(JsonNode schema, Violations violations) {
        JsonNode declared = schema.get("$schema");
        if (declared == null) {
            return SchemaDialect.DRAFT_2020_12;
        }
        if (!declared.isTextual()) {
            violations.add("/schema/$schema", "must be a string URI");
            return SchemaDialect.DRAFT_2020_12;
        }
        return SchemaDialect.fromUri(declared.asText()).orElseGet(() -> {
            violations.add(
                    "/schema/$schema",
                    "'" + declared.asText() + "' is not supported; use " + SchemaDialect.DRAFT_2020_12.uri() + " or "
                            + SchemaDialect.DRAFT_07.uri());
            return SchemaDialect.DRAFT_2020_12;
        });
    }

    /**
     * Checks a schema before it is registered: a JSON object or boolean, valid against its dialect's meta-schema,
     * only local references. Every problem is added with a pointer under {@code /schema}.
     */
    void check(JsonNode schema, SchemaDialect dialect, Violations violations) {
        if (schema == null || schema.isNull() || schema.isMissingNode()) {
            violations.add("/schema", "is required: the JSON Schema document, as a JSON object");
            return;
        }
        if (!schema.isObject() && !schema.isBoolean()) {
            violations.add("/schema", "must be a JSON Schema: a JSON object (or true/false)");
            return;
        }
        if (depth(schema, 0) > MAX_SCHEMA_DEPTH) {
            violations.add("/schema", "is nested deeper than " + MAX_SCHEMA_DEPTH + " levels of objects and arrays");
            return;
        }
        checkPatterns(schema, "/schema", violations);
        if (!violations.isEmpty()) {
            return;
        }
        List<Error> errors = metaSchemas.get(dialect).validate(schema);
        errors.stream()
                .limit(MAX_REPORTED_SCHEMA_ERRORS)
                .forEach(error -> violations.add(
                        "/schema" + error.getInstanceLocation().toString(),
                        "violates the " + dialectName(dialect) + " meta-schema: " + error.getMessage()));
        if (errors.size() > MAX_REPORTED_SCHEMA_ERRORS) {
            violations.add(
                    "/schema", (errors.size() - MAX_REPORTED_SCHEMA_ERRORS) + " more meta-schema errors not listed");
        }
        checkReferences(schema, "/schema", violations);
    }

    private static void checkReferences(JsonNode node, String pointer, Violations violations) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + FieldError.token(field.getKey());
                boolean reference =
                        field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef");
                if (reference
                        && field.getValue().isTextual()
                        && !field.getValue().asText().startsWith("#")) {
                    violations.add(
                            child,
                            "'" + field.getValue().asText() + "' is not a local reference; Herald schemas are "
                                    + "self-contained: put shared parts under $defs and refer to them as #/$defs/<name>");
                } else if (!reference && !isLiteralValue(field.getKey())) {
                    checkReferences(field.getValue(), child, violations);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(node.get(i), pointer + "/" + i, violations);
            }
        }
    }

    private static int depth(JsonNode node, int depth) {
        if (depth > MAX_SCHEMA_DEPTH || !node.isContainerNode()) {
            return depth;
        }
        int deepest = depth + 1;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child, depth + 1));
            if (deepest > MAX_SCHEMA_DEPTH) {
                break;
            }
        }
        return deepest;
    }

    /** Every {@code pattern} and {@code patternProperties} name must be a pattern Herald runs (see {@link LinearRegex}). */
    private static void checkPatterns(JsonNode node, String pointer, Violations violations) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + FieldError.token(field.getKey());
                if (field.getKey().equals("pattern") && field.getValue().isTextual()) {
                    String refusal = LinearRegex.refusal(field.getValue().asText());
                    if (refusal != null) {
                        violations.add(child, "pattern " + refusal);
                    }
                } else if (field.getKey().equals("patternProperties")
                        && field.getValue().isObject()) {
                    field.getValue().fieldNames().forEachRemaining(name -> {
                        String refusal = LinearRegex.refusal(name);
                        if (refusal != null) {
                            violations.add(child + "/" + FieldError.token(name), "pattern " + refusal);
                        }
                    });
                }
                if (!isLiteralValue(field.getKey())) {
                    checkPatterns(field.getValue(), child, violations);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkPatterns(node.get(i), pointer + "/" + i, violations);
            }
        }
    }

    /** Keywords whose values are data, not subschemas: a "$ref" key inside them is not a reference. */
    private static boolean isLiteralValue(String keyword) {
        return keyword.equals("enum")
                || keyword.equals("const")
                || keyword.equals("default")
                || keyword.equals("examples");
    }

    /** Compiles a stored (already checked) schema for validating events. */
    Schema compile(SchemaDialect dialect, JsonNode schema) {
        Schema compiled = registries.get(dialect).getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }

    /** Keys sorted at every level, no whitespace: equal schemas have equal canonical forms. */
    String canonical(JsonNode schema) {
        try {
            return json.writeValueAsString(sorted(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed schema could not be written back", e);
        }
    }

    JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored schema is not JSON", e);
        }
    }

    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(field -> fields.put(field.getKey(), sorted(field.getValue())));
            ObjectNode copy = json.createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = json.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    private static String dialectName(SchemaDialect dialect) {
        return dialect == SchemaDialect.DRAFT_07 ? "draft-07" : "draft 2020-12";
    }

    /** Violations of one event, as field errors with pointers into the event data. */
    static List<FieldError> violations(List<Error> errors, String prefix, int cap) {
        List<FieldError> result = new ArrayList<>();
        for (Error error : errors) {
            if (result.size() == cap) {
                break;
            }
            result.add(new FieldError(prefix + error.getInstanceLocation().toString(), error.getMessage()));
        }
        return result;
    }
}
