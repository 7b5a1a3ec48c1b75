package io.herald.schema.compatibility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.schema.regex.LinearRegex;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small facts about schema documents the compatibility walk asks: types, bounds, array shapes, enumerated values. */
final class SchemaShapes {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keywords that never refuse a document. */
    static final Set<String> ANNOTATIONS = Set.of(
            "$schema",
            "$id",
            "$anchor",
            "$dynamicAnchor",
            "$comment",
            "$defs",
            "definitions",
            "$vocabulary",
            "title",
            "description",
            "default",
            "examples",
            "deprecated",
            "readOnly",
            "writeOnly",
            "contentMediaType",
            "contentEncoding",
            "contentSchema");

    private SchemaShapes() {}

    record Located(JsonNode node, String pointer) {}

    /** A numeric bound: {@code minimum}/{@code maximum} (inclusive) or the exclusive ones. */
    record Bound(BigDecimal value, boolean exclusive, String keyword) {
        boolean atLeastAsTightAsLower(Bound reader) {
            int order = value.compareTo(reader.value);
            return order > 0 || order == 0 && (exclusive || !reader.exclusive);
        }

        boolean atLeastAsTightAsUpper(Bound reader) {
            int order = value.compareTo(reader.value);
            return order < 0 || order == 0 && (exclusive || !reader.exclusive);
        }

        String describe(String strictly) {
            return (exclusive ? strictly + " " : strictly + "= ") + value.toPlainString();
        }
    }

    static Bound lowerBound(JsonNode schema) {
        return tighter(schema, "minimum", "exclusiveMinimum", 1);
    }

    static Bound upperBound(JsonNode schema) {
        return tighter(schema, "maximum", "exclusiveMaximum", -1);
    }

    static Bound tighter(JsonNode schema, String inclusive, String exclusive, int direction) {
        Bound in = schema.path(inclusive).isNumber()
                ? new Bound(schema.get(inclusive).decimalValue(), false, inclusive)
                : null;
        Bound ex = schema.path(exclusive).isNumber()
                ? new Bound(schema.get(exclusive).decimalValue(), true, exclusive)
                : null;
        if (in == null || ex == null) {
            return in == null ? ex : in;
        }
        int order = ex.value.compareTo(in.value) * direction;
        return order >= 0 ? ex : in;
    }

    /** prefixItems/items (2020-12) or items-array/additionalItems (draft-07), as positions plus the rest. */
    record ArrayShape(List<JsonNode> prefix, String prefixPointer, JsonNode rest, String restPointer) {
        static ArrayShape of(JsonNode schema, String pointer) {
            JsonNode trueSchema = NODES.booleanNode(true);
            if (schema.path("items").isArray()) {
                List<JsonNode> prefix = new ArrayList<>();
                schema.get("items").forEach(prefix::add);
                return new ArrayShape(
                        prefix,
                        pointer + "/items",
                        schema.has("additionalItems") ? schema.get("additionalItems") : trueSchema,
                        pointer + "/additionalItems");
            }
            List<JsonNode> prefix = new ArrayList<>();
            schema.path("prefixItems").forEach(prefix::add);
            return new ArrayShape(
                    prefix,
                    pointer + "/prefixItems",
                    schema.has("items") ? schema.get("items") : trueSchema,
                    pointer + "/items");
        }

        JsonNode at(int index) {
            return index < prefix.size() ? prefix.get(index) : rest;
        }

        String pointerAt(int index) {
            return index < prefix.size() ? prefixPointer + "/" + index : restPointer;
        }
    }

    static boolean acceptsEverything(JsonNode schema) {
        return schema.isBoolean() ? schema.asBoolean() : schema.isObject() && !hasConstraints(schema);
    }

    static boolean rejectsEverything(JsonNode schema) {
        return schema.isBoolean() && !schema.asBoolean();
    }

    static boolean hasConstraints(JsonNode schema) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            if (!ANNOTATIONS.contains(it.next())) {
                return true;
            }
        }
        return false;
    }

    static boolean isEnumerated(JsonNode schema) {
        return schema.path("enum").isArray() || schema.has("const");
    }

    static List<JsonNode> enumeratedValues(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        if (schema.has("const")) {
            values.add(schema.get("const"));
        } else {
            schema.get("enum").forEach(values::add);
        }
        return values;
    }

    static String describeValues(JsonNode schema) {
        return schema.has("const") ? "the value " + schema.get("const") : "the values " + schema.get("enum");
    }

    /** The types a schema allows, or null for any type. */
    static Set<String> types(JsonNode schema) {
        return schema.has("type") ? typesOf(schema.get("type")) : null;
    }

    static Set<String> typesOf(JsonNode type) {
        Set<String> types = new LinkedHashSet<>();
        if (type.isTextual()) {
            types.add(type.asText());
        } else {
            type.forEach(t -> types.add(t.asText()));
        }
        return types;
    }

    /** Whether a reader allowing {@code types} accepts a value of {@code type}; integer is a number. */
    static boolean accepts(Set<String> types, String type) {
        return types.contains(type) || type.equals("integer") && types.contains("number");
    }

    static String typeOf(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()
                || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
            return "integer";
        }
        return "number";
    }

    static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (sameValue(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality, with 1 and 1.0 equal as JSON Schema says. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    static boolean allPresent(JsonNode required, JsonNode value) {
        for (JsonNode name : required) {
            if (!value.has(name.asText())) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String pattern, String value) {
        try {
            return LinearRegex.compile(pattern).matcher(value).find();
        } catch (com.google.re2j.PatternSyntaxException e) {
            return false;
        }
    }

    static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static String describeTypes(Set<String> types) {
        return types.size() == 1 ? article(types.iterator().next()) : "one of " + types;
    }

    static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static JsonNode resolvePlain(JsonNode root, JsonNode node) {
        for (int hops = 0; node != null && node.isObject() && node.path("$ref").isTextual(); hops++) {
            if (hops > 32) {
                return null;
            }
            node = target(root, node.get("$ref").asText());
        }
        return node;
    }

    static JsonNode target(JsonNode root, String reference) {
        if (!reference.startsWith("#")) {
            return null;
        }
        String pointer = URLDecoder.decode(reference.substring(1), StandardCharsets.UTF_8);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            return null; // a plain-name anchor, not a pointer
        }
        JsonNode target = root.at(pointer);
        return target.isMissingNode() ? null : target;
    }

    /**
     * A writer schema at least as permissive as "both a and b": properties and required are combined exactly,
     * and where both constrain the same keyword one of the two is kept (looser, so a "compatible" verdict stays true).
     */
    static JsonNode merge(JsonNode a, JsonNode b) {
        if (b.isBoolean()) {
            return b.asBoolean() ? a : b;
        }
        if (a.isBoolean()) {
            return a.asBoolean() ? b : a;
        }
        ObjectNode merged = ((ObjectNode) a).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = merged.get(field.getKey());
            if (existing == null) {
                merged.set(field.getKey(), field.getValue());
            } else if (field.getKey().equals("properties")
                    && existing.isObject()
                    && field.getValue().isObject()) {
                ObjectNode properties = ((ObjectNode) existing).deepCopy();
                field.getValue().fields().forEachRemaining(p -> properties.putIfAbsent(p.getKey(), p.getValue()));
                merged.set("properties", properties);
            } else if (field.getKey().equals("required")
                    && existing.isArray()
                    && field.getValue().isArray()) {
                Set<String> required = strings(existing);
                required.addAll(strings(field.getValue()));
                ArrayNode union = NODES.arrayNode();
                required.forEach(union::add);
                merged.set("required", union);
            } else if (field.getKey().equals("type")) {
                Set<String> left = typesOf(existing);
                Set<String> right = typesOf(field.getValue());
                Set<String> both = new LinkedHashSet<>();
                for (String type : left) {
                    if (accepts(right, type)) {
                        both.add(type);
                    } else if (type.equals("number") && right.contains("integer")) {
                        both.add("integer");
                    }
                }
                ArrayNode types = NODES.arrayNode();
                both.forEach(types::add);
                merged.set("type", both.isEmpty() ? existing : types);
            }
        }
        return merged;
    }

    static JsonNode without(JsonNode schema, String keyword) {
        if (!schema.isObject() || !schema.has(keyword)) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove(keyword);
        return copy;
    }
}
