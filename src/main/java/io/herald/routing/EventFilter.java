package io.herald.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Violations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A subscription's filter, in the shape of EventBridge event patterns: a JSON object whose keys are event attributes
 * ({@code type}, {@code subject}, {@code source}) and {@code data} (an object mirroring the payload), each leaf an array
 * of alternatives. An alternative is a literal (equals) or one of {@code {"prefix": "eu-"}},
 * {@code {"numeric": [">", 100, "<=", 500]}}, {@code {"exists": true}}, {@code {"anything-but": [...]}}.
 * All keys must match; any alternative of a leaf may. A payload array matches if any of its elements does.
 */
public final class EventFilter {
    static final Set<String> ATTRIBUTES = Set.of("type", "subject", "source");
    private static final Set<String> OPERATORS = Set.of("<", "<=", "=", ">=", ">");

    private final List<Condition> conditions;

    private EventFilter(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** The attributes and payload of one event, as the filter sees them. */
    public record Event(String type, String subject, String source, JsonNode data) {}

    private record Condition(String attribute, List<String> path, Predicate<JsonNode> test) {}

    public static final EventFilter MATCH_ALL = new EventFilter(List.of());

    /** Parses and validates a filter; every problem is added with a pointer under {@code pointer}. */
    public static EventFilter parse(JsonNode filter, String pointer, Violations violations) {
        if (filter == null || filter.isNull()) {
            return MATCH_ALL;
        }
        if (!filter.isObject()) {
            violations.add(
                    pointer,
                    "must be a JSON object such as {\"type\": [\"order.placed\"], \"data\": {\"amount\": [{\"numeric\": [\">\", 100]}]}}");
            return MATCH_ALL;
        }
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            String child = pointer + "/" + FieldError.token(key);
            if (key.equals("data")) {
                collectData(field.getValue(), child, new ArrayList<>(), conditions, violations);
            } else if (ATTRIBUTES.contains(key)) {
                conditions.add(new Condition(key, List.of(), alternatives(field.getValue(), child, violations)));
            } else {
                violations.add(child, "unknown key; a filter may use type, subject, source and data");
            }
        }
        return new EventFilter(conditions);
    }

    private static void collectData(
            JsonNode node, String pointer, List<String> path, List<Condition> conditions, Violations violations) {
        if (!node.isObject() || node.isEmpty()) {
            violations.add(
                    pointer, "must be an object of payload fields, each an array of alternatives or a nested object");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            List<String> childPath = new ArrayList<>(path);
            childPath.add(field.getKey());
            String child = pointer + "/" + FieldError.token(field.getKey());
            if (field.getValue().isObject()) {
                collectData(field.getValue(), child, childPath, conditions, violations);
            } else {
                conditions.add(new Condition(
                        "data", List.copyOf(childPath), alternatives(field.getValue(), child, violations)));
            }
        }
    }

    private static Predicate<JsonNode> alternatives(JsonNode node, String pointer, Violations violations) {
        if (!node.isArray() || node.isEmpty()) {
            violations.add(
                    pointer,
                    "must be a non-empty array of alternatives, e.g. [\"a\", \"b\"] or [{\"prefix\": \"eu-\"}]");
            return value -> false;
        }
        List<Predicate<JsonNode>> options = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            options.add(alternative(node.get(i), pointer + "/" + i, violations));
        }
        return value -> {
            for (Predicate<JsonNode> option : options) {
                if (option.test(value)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** One alternative. A missing value is passed as null; only {@code exists: false} and anything-but accept it. */
    private static Predicate<JsonNode> alternative(JsonNode node, String pointer, Violations violations) {
        if (!node.isObject()) {
            if (node.isArray()) {
                violations.add(pointer, "must be a literal or a matcher object, not an array");
            }
            return value -> value != null && sameValue(value, node);
        }
        if (node.size() != 1) {
            violations.add(pointer, "a matcher has exactly one key: prefix, numeric, exists or anything-but");
            return value -> false;
        }
        String matcher = node.fieldNames().next();
        JsonNode argument = node.get(matcher);
        switch (matcher) {
            case "prefix":
                if (!argument.isTextual()) {
                    violations.add(pointer + "/prefix", "must be a string");
                }
                return value ->
                        value != null && value.isTextual() && value.asText().startsWith(argument.asText());
            case "exists":
                if (!argument.isBoolean()) {
                    violations.add(pointer + "/exists", "must be true or false");
                }
                return value -> (value != null && !value.isNull()) == argument.asBoolean();
            case "anything-but":
                JsonNode excluded = argument.isArray()
                        ? argument
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .arrayNode()
                                .add(argument);
                for (int i = 0; i < excluded.size(); i++) {
                    if (excluded.get(i).isContainerNode()) {
                        violations.add(
                                pointer + "/anything-but" + (argument.isArray() ? "/" + i : ""),
                                "must be a literal value");
                    }
                }
                return value -> {
                    if (value == null) {
                        return true;
                    }
                    for (JsonNode no : excluded) {
                        if (sameValue(value, no)) {
                            return false;
                        }
                    }
                    return true;
                };
            case "numeric":
                return numeric(argument, pointer + "/numeric", violations);
            default:
                violations.add(
                        pointer + "/" + FieldError.token(matcher),
                        "unknown matcher; use prefix, numeric, exists or anything-but");
                return value -> false;
        }
    }

    private static Predicate<JsonNode> numeric(JsonNode argument, String pointer, Violations violations) {
        if (!argument.isArray() || argument.isEmpty() || argument.size() % 2 != 0 || argument.size() > 4) {
            violations.add(
                    pointer,
                    "must be [operator, number] or [operator, number, operator, number], operators < <= = >= >");
            return value -> false;
        }
        List<Predicate<BigDecimal>> bounds = new ArrayList<>();
        for (int i = 0; i < argument.size(); i += 2) {
            String operator = argument.get(i).asText();
            JsonNode number = argument.get(i + 1);
            boolean valid = true;
            if (!OPERATORS.contains(operator)) {
                violations.add(pointer + "/" + i, "'" + operator + "' is not one of < <= = >= >");
                valid = false;
            }
            if (!number.isNumber()) {
                violations.add(pointer + "/" + (i + 1), "must be a number");
                valid = false;
            }
            if (!valid) {
                continue;
            }
            BigDecimal limit = number.decimalValue();
            bounds.add(
                    switch (operator) {
                        case "<" -> v -> v.compareTo(limit) < 0;
                        case "<=" -> v -> v.compareTo(limit) <= 0;
                        case "=" -> v -> v.compareTo(limit) == 0;
                        case ">=" -> v -> v.compareTo(limit) >= 0;
                        default -> v -> v.compareTo(limit) > 0;
                    });
        }
        return value -> {
            if (value == null || !value.isNumber()) {
                return false;
            }
            BigDecimal v = value.decimalValue();
            return bounds.stream().allMatch(bound -> bound.test(v));
        };
    }

    public boolean matches(Event event) {
        for (Condition condition : conditions) {
            if (!matches(condition, event)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Condition condition, Event event) {
        switch (condition.attribute()) {
            case "type":
                return condition.test().test(text(event.type()));
            case "subject":
                return condition.test().test(text(event.subject()));
            case "source":
                return condition.test().test(text(event.source()));
            default:
                return matchesData(condition, event.data(), 0);
        }
    }

    private static boolean matchesData(Condition condition, JsonNode node, int depth) {
        if (depth == condition.path().size()) {
            if (node != null && node.isArray()) {
                for (JsonNode element : node) {
                    if (condition.test().test(element)) {
                        return true;
                    }
                }
                return node.isEmpty() && condition.test().test(null);
            }
            return condition.test().test(node);
        }
        if (node == null || node.isNull()) {
            return condition.test().test(null);
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (matchesData(condition, element, depth)) {
                    return true;
                }
            }
            return false;
        }
        return matchesData(condition, node.get(condition.path().get(depth)), depth + 1);
    }

    private static JsonNode text(String value) {
        return value == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
