package io.herald.schema.compatibility;

import static io.herald.schema.compatibility.SchemaShapes.ANNOTATIONS;
import static io.herald.schema.compatibility.SchemaShapes.accepts;
import static io.herald.schema.compatibility.SchemaShapes.allPresent;
import static io.herald.schema.compatibility.SchemaShapes.contains;
import static io.herald.schema.compatibility.SchemaShapes.matches;
import static io.herald.schema.compatibility.SchemaShapes.sameValue;
import static io.herald.schema.compatibility.SchemaShapes.typeOf;
import static io.herald.schema.compatibility.SchemaShapes.typesOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a schema accepts a given value (a writer's enumerated values, checked against the reader): a small evaluator
 * over the keywords the walk models.
 */
final class ValueAcceptance {
    private ValueAcceptance() {}

    /** Whether {@code value} is valid under {@code schema}, for the keywords this checker models. */
    static boolean valueAccepted(JsonNode value, JsonNode schema, JsonNode root, int depth, boolean optimistic) {
        schema = depth > 32 ? null : SchemaShapes.resolvePlain(root, schema);
        if (schema == null) {
            return optimistic;
        }
        if (schema.isBoolean()) {
            return schema.asBoolean();
        }
        if (!schema.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String keyword = field.getKey();
            JsonNode argument = field.getValue();
            if (ANNOTATIONS.contains(keyword) || keyword.equals("$ref")) {
                continue;
            }
            boolean ok = switch (keyword) {
                case "type" -> accepts(typesOf(argument), typeOf(value));
                case "enum" -> contains(argument, value);
                case "const" -> sameValue(argument, value);
                case "minimum" -> !value.isNumber() || value.decimalValue().compareTo(argument.decimalValue()) >= 0;
                case "maximum" -> !value.isNumber() || value.decimalValue().compareTo(argument.decimalValue()) <= 0;
                case "exclusiveMinimum" ->
                    !value.isNumber()
                            || !argument.isNumber()
                            || value.decimalValue().compareTo(argument.decimalValue()) > 0;
                case "exclusiveMaximum" ->
                    !value.isNumber()
                            || !argument.isNumber()
                            || value.decimalValue().compareTo(argument.decimalValue()) < 0;
                case "multipleOf" ->
                    !value.isNumber()
                            || value.decimalValue()
                                            .remainder(argument.decimalValue())
                                            .signum()
                                    == 0;
                case "minLength" ->
                    !value.isTextual()
                            || value.asText().codePointCount(0, value.asText().length()) >= argument.asInt();
                case "maxLength" ->
                    !value.isTextual()
                            || value.asText().codePointCount(0, value.asText().length()) <= argument.asInt();
                case "pattern" -> !value.isTextual() || matches(argument.asText(), value.asText());
                case "required" -> !value.isObject() || allPresent(argument, value);
                case "properties" -> !value.isObject() || propertiesAccepted(value, argument, root, depth, optimistic);
                case "additionalProperties" ->
                    !value.isObject() || additionalAccepted(value, schema, argument, root, depth, optimistic);
                case "items" ->
                    !value.isArray()
                            || !argument.isObject() && !argument.isBoolean()
                            || allItemsAccepted(value, argument, root, depth, optimistic);
                case "anyOf" -> anyAccepted(value, argument, root, depth, optimistic);
                case "allOf" -> allAccepted(value, argument, root, depth, optimistic);
                case "oneOf" -> countAccepted(value, argument, root, depth, optimistic) == 1;
                // A keyword we cannot evaluate here: for the writer assume the value may be written, for the reader
                // do not claim it is accepted. Either way the verdict errs towards "breaking".
                default -> optimistic;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean propertiesAccepted(
            JsonNode value, JsonNode properties, JsonNode root, int depth, boolean optimistic) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            if (value.has(property.getKey())
                    && !valueAccepted(value.get(property.getKey()), property.getValue(), root, depth + 1, optimistic)) {
                return false;
            }
        }
        return true;
    }

    static boolean additionalAccepted(
            JsonNode value, JsonNode schema, JsonNode additional, JsonNode root, int depth, boolean optimistic) {
        JsonNode declared = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!declared.has(field.getKey())
                    && !valueAccepted(field.getValue(), additional, root, depth + 1, optimistic)) {
                return false;
            }
        }
        return true;
    }

    static boolean allItemsAccepted(JsonNode value, JsonNode items, JsonNode root, int depth, boolean optimistic) {
        for (JsonNode item : value) {
            if (!valueAccepted(item, items, root, depth + 1, optimistic)) {
                return false;
            }
        }
        return true;
    }

    static boolean anyAccepted(JsonNode value, JsonNode branches, JsonNode root, int depth, boolean optimistic) {
        return countAccepted(value, branches, root, depth, optimistic) > 0;
    }

    static boolean allAccepted(JsonNode value, JsonNode parts, JsonNode root, int depth, boolean optimistic) {
        for (JsonNode part : parts) {
            if (!valueAccepted(value, part, root, depth + 1, optimistic)) {
                return false;
            }
        }
        return true;
    }

    static int countAccepted(JsonNode value, JsonNode branches, JsonNode root, int depth, boolean optimistic) {
        int count = 0;
        for (JsonNode branch : branches) {
            if (valueAccepted(value, branch, root, depth + 1, optimistic)) {
                count++;
            }
        }
        return count;
    }
}
