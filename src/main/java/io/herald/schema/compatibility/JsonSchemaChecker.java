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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A structural checker for JSON Schema (draft 2020-12 and draft-07): walks the writer's and the reader's schema side
 * by side and reports every place where a document valid for the writer may be refused by the reader.
 *
 * <p>It is sound where it says "compatible" for the keywords it models (types with integer inside number, enum and
 * const, properties, required, additionalProperties, numeric/length/item/property-count bounds, pattern, format,
 * items/prefixItems, local $ref, allOf/anyOf/oneOf), and conservative elsewhere: a keyword it does not model, a
 * changed pattern, or a union it cannot split is reported as breaking, and the message says so. One known gap:
 * oneOf exclusivity is checked only branch by branch (a writer branch accepted by two reader branches is reported;
 * partial overlaps are not detected).
 */
public final class JsonSchemaChecker implements SchemaCompatibilityChecker {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keywords that never refuse a document. */
    private static final Set<String> ANNOTATIONS = Set.of(
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
    /** Keywords this checker compares structurally; any other constraining keyword is compared for equality. */
    private static final Set<String> MODELLED = Set.of(
            "type",
            "enum",
            "const",
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "items",
            "prefixItems",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "pattern",
            "format",
            "anyOf",
            "oneOf",
            "allOf",
            "not",
            "$ref");

    private static final List<String> ALL_TYPES =
            List.of("null", "boolean", "object", "array", "number", "integer", "string");

    @Override
    public List<Incompatibility> check(JsonNode writer, JsonNode reader) {
        return new Walk(writer, reader).compare(writer, "", reader, "");
    }

    private static final class Walk {
        private final JsonNode writerRoot;
        private final JsonNode readerRoot;
        /** Pairs being compared right now: meeting one again means a recursive schema, assumed compatible there. */
        private final Set<String> inProgress = new HashSet<>();

        Walk(JsonNode writerRoot, JsonNode readerRoot) {
            this.writerRoot = writerRoot;
            this.readerRoot = readerRoot;
        }

        List<Incompatibility> compare(JsonNode writer, String wp, JsonNode reader, String rp) {
            List<Incompatibility> found = new ArrayList<>();
            Located w = resolveWriter(writer, wp, found, rp);
            Located r = resolveReader(reader, rp, found, wp);
            if (w == null || r == null) {
                return found;
            }
            String pair = w.pointer + "|" + r.pointer;
            if (!inProgress.add(pair)) {
                return found;
            }
            try {
                compareResolved(w.node, w.pointer, r.node, r.pointer, found);
            } finally {
                inProgress.remove(pair);
            }
            return found;
        }

        private void compareResolved(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            if (acceptsEverything(r) || rejectsEverything(w)) {
                return;
            }
            if (rejectsEverything(r)) {
                found.add(new Incompatibility(
                        rp,
                        wp,
                        IncompatibilityRule.READER_REJECTS_ALL,
                        "the reader's schema is false here (accepts nothing) but the writer's accepts values"));
                return;
            }
            // Writer unions: every branch the writer may use must be readable.
            for (String union : List.of("anyOf", "oneOf")) {
                if (w.has(union) && w.get(union).isArray()) {
                    JsonNode base = without(w, union);
                    for (int i = 0; i < w.get(union).size(); i++) {
                        String branchPointer = wp + "/" + union + "/" + i;
                        Located branch = resolveWriter(w.get(union).get(i), branchPointer, found, rp);
                        if (branch != null && !rejectsEverything(branch.node)) {
                            found.addAll(compare(merge(base, branch.node), branch.pointer, r, rp));
                        }
                    }
                    return;
                }
            }
            if (w.has("allOf") && w.get("allOf").isArray()) {
                w = mergeAllOf(w, wp, found, rp);
            }
            // Reader intersections: each part must accept the writer.
            if (r.has("allOf") && r.get("allOf").isArray()) {
                for (int i = 0; i < r.get("allOf").size(); i++) {
                    found.addAll(compare(w, wp, r.get("allOf").get(i), rp + "/allOf/" + i));
                }
                r = without(r, "allOf");
            }
            for (String union : List.of("anyOf", "oneOf")) {
                if (r.has(union) && r.get(union).isArray()) {
                    checkReaderUnion(w, wp, r, rp, union, found);
                    r = without(r, union);
                }
            }
            if (r.has("not") && !Objects.equals(r.get("not"), w.get("not"))) {
                found.add(
                        new Incompatibility(
                                rp + "/not",
                                wp,
                                IncompatibilityRule.NOT_CHANGED,
                                "the reader's 'not' differs from the writer's; "
                                        + "Herald cannot prove which values it excludes, so it counts this as breaking (conservative)"));
            }
            if (acceptsEverything(r)) {
                return;
            }
            if (isEnumerated(w)) {
                checkEnumeratedWriter(w, wp, r, rp, found);
                return;
            }
            if (isEnumerated(r)) {
                String keyword = r.has("enum") ? "enum" : "const";
                found.add(new Incompatibility(
                        rp + "/" + keyword,
                        wp,
                        IncompatibilityRule.ENUM_ADDED,
                        "the reader accepts only " + describeValues(r) + " but the writer allows other values here"));
                return;
            }
            Set<String> writerTypes = types(w);
            Set<String> readerTypes = types(r);
            checkTypes(writerTypes, wp, readerTypes, rp, found);
            Set<String> checked = writerTypes == null ? new LinkedHashSet<>(ALL_TYPES) : writerTypes;
            if (readerTypes != null) {
                checked.removeIf(type -> !accepts(readerTypes, type));
            }
            if (checked.contains("number") || checked.contains("integer")) {
                checkNumbers(w, wp, r, rp, checked.contains("number") ? "number" : "integer", found);
            }
            if (checked.contains("string")) {
                checkStrings(w, wp, r, rp, found);
            }
            if (checked.contains("array")) {
                checkArrays(w, wp, r, rp, found);
            }
            if (checked.contains("object")) {
                checkObjects(w, wp, r, rp, found);
            }
            checkUnmodelledKeywords(w, wp, r, rp, found);
        }

        // --- unions ---------------------------------------------------------------------------------------------

        private void checkReaderUnion(
                JsonNode w, String wp, JsonNode r, String rp, String union, List<Incompatibility> found) {
            List<Integer> accepting = new ArrayList<>();
            JsonNode branches = r.get(union);
            JsonNode base = without(r, union);
            for (int i = 0; i < branches.size(); i++) {
                JsonNode branch = branches.get(i);
                if (compare(w, wp, branch, rp + "/" + union + "/" + i).isEmpty()) {
                    accepting.add(i);
                }
            }
            if (accepting.isEmpty()) {
                found.add(new Incompatibility(
                        rp + "/" + union,
                        wp,
                        IncompatibilityRule.NO_BRANCH_ACCEPTS,
                        "no single branch of the reader's "
                                + union
                                + " accepts everything the writer allows here (Herald checks branch by branch; a combination "
                                + "of branches might, which it cannot prove, so it counts this as breaking)"));
            } else if (union.equals("oneOf") && accepting.size() > 1) {
                found.add(
                        new Incompatibility(
                                rp + "/oneOf",
                                wp,
                                IncompatibilityRule.ONE_OF_AMBIGUOUS,
                                "what the writer allows here is accepted by " + "branches " + accepting
                                        + " of the reader's oneOf, so a document may match more than one branch and be refused"));
            }
            if (!acceptsEverything(base)) {
                found.addAll(compare(w, wp, base, rp));
            }
        }

        // --- values -----------------------------------------------------------------------------------------------

        private void checkEnumeratedWriter(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            for (JsonNode value : enumeratedValues(w)) {
                if (!valueAccepted(value, w, writerRoot, 0, true)) {
                    continue; // listed, but refused by the writer's other keywords: never written
                }
                if (!valueAccepted(value, r, readerRoot, 0, false)) {
                    boolean readerEnumerates = isEnumerated(r);
                    found.add(new Incompatibility(
                            rp + (readerEnumerates ? "/" + (r.has("enum") ? "enum" : "const") : ""),
                            wp,
                            readerEnumerates
                                    ? IncompatibilityRule.ENUM_VALUE_REMOVED
                                    : IncompatibilityRule.VALUE_NOT_ACCEPTED,
                            "the writer may write " + value + " here, which the reader "
                                    + (readerEnumerates ? "no longer lists" : "refuses")));
                }
            }
        }

        /** Whether {@code value} is valid under {@code schema}, for the keywords this checker models. */
        private boolean valueAccepted(JsonNode value, JsonNode schema, JsonNode root, int depth, boolean optimistic) {
            schema = depth > 32 ? null : resolvePlain(root, schema);
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
                                || value.asText()
                                                .codePointCount(
                                                        0, value.asText().length())
                                        >= argument.asInt();
                    case "maxLength" ->
                        !value.isTextual()
                                || value.asText()
                                                .codePointCount(
                                                        0, value.asText().length())
                                        <= argument.asInt();
                    case "pattern" -> !value.isTextual() || matches(argument.asText(), value.asText());
                    case "required" -> !value.isObject() || allPresent(argument, value);
                    case "properties" ->
                        !value.isObject() || propertiesAccepted(value, argument, root, depth, optimistic);
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

        private boolean propertiesAccepted(
                JsonNode value, JsonNode properties, JsonNode root, int depth, boolean optimistic) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                if (value.has(property.getKey())
                        && !valueAccepted(
                                value.get(property.getKey()), property.getValue(), root, depth + 1, optimistic)) {
                    return false;
                }
            }
            return true;
        }

        private boolean additionalAccepted(
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

        private boolean allItemsAccepted(JsonNode value, JsonNode items, JsonNode root, int depth, boolean optimistic) {
            for (JsonNode item : value) {
                if (!valueAccepted(item, items, root, depth + 1, optimistic)) {
                    return false;
                }
            }
            return true;
        }

        private boolean anyAccepted(JsonNode value, JsonNode branches, JsonNode root, int depth, boolean optimistic) {
            return countAccepted(value, branches, root, depth, optimistic) > 0;
        }

        private boolean allAccepted(JsonNode value, JsonNode parts, JsonNode root, int depth, boolean optimistic) {
            for (JsonNode part : parts) {
                if (!valueAccepted(value, part, root, depth + 1, optimistic)) {
                    return false;
                }
            }
            return true;
        }

        private int countAccepted(JsonNode value, JsonNode branches, JsonNode root, int depth, boolean optimistic) {
            int count = 0;
            for (JsonNode branch : branches) {
                if (valueAccepted(value, branch, root, depth + 1, optimistic)) {
                    count++;
                }
            }
            return count;
        }

        // --- types ------------------------------------------------------------------------------------------------

        private void checkTypes(
                Set<String> writerTypes, String wp, Set<String> readerTypes, String rp, List<Incompatibility> found) {
            if (readerTypes == null) {
                return;
            }
            if (writerTypes == null) {
                found.add(new Incompatibility(
                        rp + "/type",
                        wp,
                        IncompatibilityRule.TYPE_ADDED,
                        "the reader requires " + describeTypes(readerTypes) + " but the writer allows any type here"));
                return;
            }
            for (String type : writerTypes) {
                if (!accepts(readerTypes, type)) {
                    boolean narrowed = type.equals("number") && readerTypes.contains("integer");
                    found.add(new Incompatibility(
                            rp + "/type",
                            wp + "/type",
                            narrowed ? IncompatibilityRule.TYPE_NARROWED : IncompatibilityRule.TYPE_CHANGED,
                            narrowed
                                    ? "type narrowed from number to integer: the writer may write 1.5, the reader refuses it"
                                    : "the writer may write " + article(type) + " here, the reader accepts only "
                                            + describeTypes(readerTypes)));
                }
            }
        }

        // --- numbers, strings -------------------------------------------------------------------------------------

        private void checkNumbers(
                JsonNode w, String wp, JsonNode r, String rp, String writerType, List<Incompatibility> found) {
            Bound readerLow = lowerBound(r);
            if (readerLow != null) {
                Bound writerLow = lowerBound(w);
                if (writerLow == null || !writerLow.atLeastAsTightAsLower(readerLow)) {
                    found.add(new Incompatibility(
                            rp + "/" + readerLow.keyword(),
                            wp,
                            writerLow == null
                                    ? IncompatibilityRule.MINIMUM_ADDED
                                    : IncompatibilityRule.MINIMUM_TIGHTENED,
                            "lower bound " + (writerLow == null ? "added" : "tightened from " + writerLow.describe(">"))
                                    + ": the reader requires " + readerLow.describe(">")
                                    + ", so smaller numbers the writer allows are refused"));
                }
            }
            Bound readerHigh = upperBound(r);
            if (readerHigh != null) {
                Bound writerHigh = upperBound(w);
                if (writerHigh == null || !writerHigh.atLeastAsTightAsUpper(readerHigh)) {
                    found.add(new Incompatibility(
                            rp + "/" + readerHigh.keyword(),
                            wp,
                            writerHigh == null
                                    ? IncompatibilityRule.MAXIMUM_ADDED
                                    : IncompatibilityRule.MAXIMUM_TIGHTENED,
                            "upper bound "
                                    + (writerHigh == null ? "added" : "tightened from " + writerHigh.describe("<"))
                                    + ": the reader requires " + readerHigh.describe("<")
                                    + ", so larger numbers the writer allows are refused"));
                }
            }
            if (r.path("multipleOf").isNumber()) {
                BigDecimal readerStep = r.get("multipleOf").decimalValue();
                JsonNode writerStep = w.path("multipleOf");
                boolean integersOnly = "integer".equals(writerType)
                        && BigDecimal.ONE.remainder(readerStep).signum() == 0;
                boolean divides = writerStep.isNumber()
                        && writerStep.decimalValue().remainder(readerStep).signum() == 0;
                if (!integersOnly && !divides) {
                    found.add(new Incompatibility(
                            rp + "/multipleOf",
                            wp,
                            writerStep.isNumber()
                                    ? IncompatibilityRule.MULTIPLE_OF_CHANGED
                                    : IncompatibilityRule.MULTIPLE_OF_ADDED,
                            "the reader requires multiples of " + readerStep.toPlainString()
                                    + ", which the writer's numbers"
                                    + (writerStep.isNumber()
                                            ? " (multiples of "
                                                    + writerStep.decimalValue().toPlainString() + ")"
                                            : "")
                                    + " need not be"));
                }
            }
        }

        private void checkStrings(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            checkMinimumCount(w, wp, r, rp, "minLength", IncompatibilityRule.MIN_LENGTH_TIGHTENED, "characters", found);
            checkMaximumCount(
                    w,
                    wp,
                    r,
                    rp,
                    "maxLength",
                    IncompatibilityRule.MAX_LENGTH_TIGHTENED,
                    IncompatibilityRule.MAX_LENGTH_ADDED,
                    "characters",
                    found);
            if (r.has("pattern") && !Objects.equals(r.get("pattern"), w.get("pattern"))) {
                found.add(new Incompatibility(
                        rp + "/pattern",
                        wp,
                        w.has("pattern") ? IncompatibilityRule.PATTERN_CHANGED : IncompatibilityRule.PATTERN_ADDED,
                        (w.has("pattern") ? "pattern changed from " + w.get("pattern") + " to " : "pattern added: ")
                                + r.get("pattern")
                                + "; Herald cannot prove the reader's pattern accepts every string the writer's allows, so it "
                                + "counts this as breaking (conservative)"));
            }
            if (r.has("format") && !Objects.equals(r.get("format"), w.get("format"))) {
                found.add(new Incompatibility(
                        rp + "/format",
                        wp,
                        w.has("format") ? IncompatibilityRule.FORMAT_CHANGED : IncompatibilityRule.FORMAT_ADDED,
                        "the reader requires format " + r.get("format")
                                + " (Herald asserts formats) but the writer's strings "
                                + (w.has("format") ? "have format " + w.get("format") : "have no format")));
            }
        }

        private void checkMinimumCount(
                JsonNode w,
                String wp,
                JsonNode r,
                String rp,
                String keyword,
                IncompatibilityRule rule,
                String unit,
                List<Incompatibility> found) {
            if (r.path(keyword).canConvertToLong()) {
                long readerMin = r.get(keyword).asLong();
                long writerMin =
                        w.path(keyword).canConvertToLong() ? w.get(keyword).asLong() : 0;
                if (writerMin < readerMin) {
                    found.add(new Incompatibility(
                            rp + "/" + keyword,
                            wp,
                            rule,
                            keyword + " tightened from " + writerMin + " to " + readerMin
                                    + ": shorter values the writer allows (" + writerMin + " " + unit
                                    + ") are refused"));
                }
            }
        }

        private void checkMaximumCount(
                JsonNode w,
                String wp,
                JsonNode r,
                String rp,
                String keyword,
                IncompatibilityRule tightened,
                IncompatibilityRule added,
                String unit,
                List<Incompatibility> found) {
            if (r.path(keyword).canConvertToLong()) {
                long readerMax = r.get(keyword).asLong();
                boolean writerBounded = w.path(keyword).canConvertToLong();
                if (!writerBounded || w.get(keyword).asLong() > readerMax) {
                    found.add(new Incompatibility(
                            rp + "/" + keyword,
                            wp,
                            writerBounded ? tightened : added,
                            keyword + " "
                                    + (writerBounded
                                            ? "tightened from " + w.get(keyword).asLong() + " to "
                                            : "added: ") + readerMax
                                    + "; longer values the writer allows are refused (" + unit + ")"));
                }
            }
        }

        // --- arrays -----------------------------------------------------------------------------------------------

        private void checkArrays(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            ArrayShape writer = ArrayShape.of(w, wp);
            ArrayShape reader = ArrayShape.of(r, rp);
            int positions = Math.max(writer.prefix.size(), reader.prefix.size());
            for (int i = 0; i < positions; i++) {
                found.addAll(compare(writer.at(i), writer.pointerAt(i), reader.at(i), reader.pointerAt(i)));
            }
            found.addAll(compare(writer.rest, writer.restPointer, reader.rest, reader.restPointer));
            checkMinimumCount(w, wp, r, rp, "minItems", IncompatibilityRule.MIN_ITEMS_TIGHTENED, "items", found);
            checkMaximumCount(
                    w,
                    wp,
                    r,
                    rp,
                    "maxItems",
                    IncompatibilityRule.MAX_ITEMS_TIGHTENED,
                    IncompatibilityRule.MAX_ITEMS_ADDED,
                    "items",
                    found);
            if (r.path("uniqueItems").asBoolean(false) && !w.path("uniqueItems").asBoolean(false)) {
                found.add(new Incompatibility(
                        rp + "/uniqueItems",
                        wp,
                        IncompatibilityRule.UNIQUE_ITEMS_ADDED,
                        "the reader requires unique items; the writer allows repeated ones"));
            }
        }

        // --- objects ----------------------------------------------------------------------------------------------

        private void checkObjects(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            JsonNode writerProperties = w.path("properties");
            JsonNode readerProperties = r.path("properties");
            JsonNode writerOthers = undeclaredPropertySchema(w);
            JsonNode readerOthers = undeclaredPropertySchema(r);
            for (Iterator<Map.Entry<String, JsonNode>> it = readerProperties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                String name = property.getKey();
                String readerPointer = rp + "/properties/" + token(name);
                if (writerProperties.has(name)) {
                    found.addAll(compare(
                            writerProperties.get(name),
                            wp + "/properties/" + token(name),
                            property.getValue(),
                            readerPointer));
                } else if (!rejectsEverything(writerOthers)
                        && !acceptsEverythingResolved(property.getValue(), readerRoot)) {
                    if (acceptsEverything(writerOthers)) {
                        found.add(
                                new Incompatibility(
                                        readerPointer,
                                        wp,
                                        IncompatibilityRule.PROPERTY_ADDED_TO_OPEN_MODEL,
                                        "property '" + name
                                                + "' is declared by the reader but not by the writer, whose schema is open (additionalProperties is "
                                                + "not false): documents may already carry '" + name
                                                + "' with any value. Declare '" + name
                                                + "' in the writer's schema, close it with additionalProperties: false, or let the reader accept any value"));
                    } else {
                        found.addAll(compare(
                                writerOthers, wp + "/additionalProperties", property.getValue(), readerPointer));
                    }
                }
            }
            for (Iterator<String> it = writerProperties.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (readerProperties.has(name) || rejectsEverything(writerProperties.get(name))) {
                    continue;
                }
                String writerPointer = wp + "/properties/" + token(name);
                if (rejectsEverything(readerOthers)) {
                    found.add(new Incompatibility(
                            rp + "/properties/" + token(name),
                            writerPointer,
                            IncompatibilityRule.PROPERTY_REMOVED_FROM_CLOSED_MODEL,
                            "property '" + name
                                    + "' may be written, but the reader no longer declares it and refuses undeclared "
                                    + "properties (additionalProperties: false)"));
                } else if (!acceptsEverything(readerOthers)) {
                    found.addAll(compare(
                            writerProperties.get(name), writerPointer, readerOthers, rp + "/additionalProperties"));
                }
            }
            if (!rejectsEverything(writerOthers)) {
                if (rejectsEverything(readerOthers)) {
                    found.add(
                            new Incompatibility(
                                    rp + "/additionalProperties",
                                    wp,
                                    IncompatibilityRule.CONTENT_MODEL_CLOSED,
                                    "the reader refuses undeclared properties (additionalProperties: false) but the writer allows them"));
                } else if (!acceptsEverything(readerOthers)) {
                    found.addAll(compare(
                            writerOthers, wp + "/additionalProperties", readerOthers, rp + "/additionalProperties"));
                }
            }
            Set<String> writerRequired = strings(w.path("required"));
            for (String name : strings(r.path("required"))) {
                if (!writerRequired.contains(name)) {
                    found.add(
                            new Incompatibility(
                                    rp + "/required",
                                    wp + "/required",
                                    IncompatibilityRule.PROPERTY_BECAME_REQUIRED,
                                    "property '" + name
                                            + "' is required by the reader but optional for the writer: documents written without it are refused"));
                }
            }
            checkMinimumCount(
                    w, wp, r, rp, "minProperties", IncompatibilityRule.MIN_PROPERTIES_TIGHTENED, "properties", found);
            checkMaximumCount(
                    w,
                    wp,
                    r,
                    rp,
                    "maxProperties",
                    IncompatibilityRule.MAX_PROPERTIES_TIGHTENED,
                    IncompatibilityRule.MAX_PROPERTIES_ADDED,
                    "properties",
                    found);
        }

        /** The schema undeclared properties must meet: false (closed), true (open) or a schema. */
        private static JsonNode undeclaredPropertySchema(JsonNode schema) {
            JsonNode additional = schema.get("additionalProperties");
            if (schema.has("patternProperties")
                    && !(additional != null && additional.isBoolean() && !additional.asBoolean())) {
                return NODES.booleanNode(
                        true); // pattern-matched properties: treated as open (conservative for a writer)
            }
            return additional == null ? NODES.booleanNode(true) : additional;
        }

        private void checkUnmodelledKeywords(
                JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String keyword = it.next();
                if (!MODELLED.contains(keyword)
                        && !ANNOTATIONS.contains(keyword)
                        && !Objects.equals(r.get(keyword), w.get(keyword))) {
                    found.add(new Incompatibility(
                            rp + "/" + token(keyword),
                            wp,
                            IncompatibilityRule.UNCOMPARED_KEYWORD,
                            "the reader uses '" + keyword
                                    + "' differently from the writer; Herald does not compare '" + keyword
                                    + "' structurally, so it counts the change as breaking (conservative)"));
                }
            }
        }

        // --- references and merging ----------------------------------------------------------------------------

        private Located resolveWriter(JsonNode node, String pointer, List<Incompatibility> found, String rp) {
            return resolve(writerRoot, node, pointer, found, false, rp);
        }

        private Located resolveReader(JsonNode node, String pointer, List<Incompatibility> found, String wp) {
            return resolve(readerRoot, node, pointer, found, true, wp);
        }

        /**
         * Follows local {@code $ref}s. A reference with sibling keywords means both apply: for a reader that is an
         * allOf (checked exactly), for a writer a merge (looser than the truth, hence safe).
         */
        private Located resolve(
                JsonNode root,
                JsonNode node,
                String pointer,
                List<Incompatibility> found,
                boolean reader,
                String otherPointer) {
            for (int hops = 0;
                    node != null && node.isObject() && node.path("$ref").isTextual();
                    hops++) {
                String reference = node.get("$ref").asText();
                JsonNode target = hops < 32 ? target(root, reference) : null;
                if (target == null) {
                    found.add(new Incompatibility(
                            reader ? pointer + "/$ref" : otherPointer,
                            reader ? otherPointer : pointer + "/$ref",
                            IncompatibilityRule.UNRESOLVED_REFERENCE,
                            "reference " + reference + " cannot be resolved inside the schema, so this part "
                                    + "cannot be compared (counted as breaking)"));
                    return null;
                }
                JsonNode siblings = without(node, "$ref");
                String targetPointer = reference.length() > 1 ? reference.substring(1) : "";
                if (hasConstraints(siblings)) {
                    if (reader) {
                        ObjectNode both = NODES.objectNode();
                        both.set("allOf", NODES.arrayNode().add(target).add(siblings));
                        return new Located(both, pointer);
                    }
                    return new Located(merge(target, siblings), targetPointer);
                }
                node = target;
                pointer = targetPointer;
            }
            return new Located(node, pointer);
        }

        private static JsonNode resolvePlain(JsonNode root, JsonNode node) {
            for (int hops = 0;
                    node != null && node.isObject() && node.path("$ref").isTextual();
                    hops++) {
                if (hops > 32) {
                    return null;
                }
                node = target(root, node.get("$ref").asText());
            }
            return node;
        }

        private static JsonNode target(JsonNode root, String reference) {
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

        private JsonNode mergeAllOf(JsonNode w, String wp, List<Incompatibility> found, String rp) {
            JsonNode merged = without(w, "allOf");
            for (int i = 0; i < w.get("allOf").size(); i++) {
                Located part = resolveWriter(w.get("allOf").get(i), wp + "/allOf/" + i, found, rp);
                if (part != null) {
                    merged = merge(merged, part.node);
                }
            }
            return merged;
        }

        /**
         * A writer schema at least as permissive as "both a and b": properties and required are combined exactly,
         * and where both constrain the same keyword one of the two is kept (looser, so a "compatible" verdict stays true).
         */
        private static JsonNode merge(JsonNode a, JsonNode b) {
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

        private static JsonNode without(JsonNode schema, String keyword) {
            if (!schema.isObject() || !schema.has(keyword)) {
                return schema;
            }
            ObjectNode copy = ((ObjectNode) schema).deepCopy();
            copy.remove(keyword);
            return copy;
        }

        private boolean acceptsEverythingResolved(JsonNode schema, JsonNode root) {
            JsonNode resolved = resolvePlain(root, schema);
            return resolved != null && acceptsEverything(resolved);
        }
    }

    // --- small helpers ------------------------------------------------------------------------------------------

    private record Located(JsonNode node, String pointer) {}

    /** A numeric bound: {@code minimum}/{@code maximum} (inclusive) or the exclusive ones. */
    private record Bound(BigDecimal value, boolean exclusive, String keyword) {
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

    private static Bound lowerBound(JsonNode schema) {
        return tighter(schema, "minimum", "exclusiveMinimum", 1);
    }

    private static Bound upperBound(JsonNode schema) {
        return tighter(schema, "maximum", "exclusiveMaximum", -1);
    }

    private static Bound tighter(JsonNode schema, String inclusive, String exclusive, int direction) {
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
    private record ArrayShape(List<JsonNode> prefix, String prefixPointer, JsonNode rest, String restPointer) {
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

    private static boolean acceptsEverything(JsonNode schema) {
        return schema.isBoolean() ? schema.asBoolean() : schema.isObject() && !hasConstraints(schema);
    }

    private static boolean rejectsEverything(JsonNode schema) {
        return schema.isBoolean() && !schema.asBoolean();
    }

    private static boolean hasConstraints(JsonNode schema) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            if (!ANNOTATIONS.contains(it.next())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEnumerated(JsonNode schema) {
        return schema.path("enum").isArray() || schema.has("const");
    }

    private static List<JsonNode> enumeratedValues(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        if (schema.has("const")) {
            values.add(schema.get("const"));
        } else {
            schema.get("enum").forEach(values::add);
        }
        return values;
    }

    private static String describeValues(JsonNode schema) {
        return schema.has("const") ? "the value " + schema.get("const") : "the values " + schema.get("enum");
    }

    /** The types a schema allows, or null for any type. */
    private static Set<String> types(JsonNode schema) {
        return schema.has("type") ? typesOf(schema.get("type")) : null;
    }

    private static Set<String> typesOf(JsonNode type) {
        Set<String> types = new LinkedHashSet<>();
        if (type.isTextual()) {
            types.add(type.asText());
        } else {
            type.forEach(t -> types.add(t.asText()));
        }
        return types;
    }

    /** Whether a reader allowing {@code types} accepts a value of {@code type}; integer is a number. */
    private static boolean accepts(Set<String> types, String type) {
        return types.contains(type) || type.equals("integer") && types.contains("number");
    }

    private static String typeOf(JsonNode value) {
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

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (sameValue(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality, with 1 and 1.0 equal as JSON Schema says. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean allPresent(JsonNode required, JsonNode value) {
        for (JsonNode name : required) {
            if (!value.has(name.asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(String pattern, String value) {
        try {
            return LinearRegex.compile(pattern).matcher(value).find();
        } catch (com.google.re2j.PatternSyntaxException e) {
            return false;
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String describeTypes(Set<String> types) {
        return types.size() == 1 ? article(types.iterator().next()) : "one of " + types;
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
