package io.herald.schema.compatibility;

import static io.herald.schema.compatibility.SchemaShapes.ANNOTATIONS;
import static io.herald.schema.compatibility.SchemaShapes.NODES;
import static io.herald.schema.compatibility.SchemaShapes.accepts;
import static io.herald.schema.compatibility.SchemaShapes.acceptsEverything;
import static io.herald.schema.compatibility.SchemaShapes.article;
import static io.herald.schema.compatibility.SchemaShapes.describeTypes;
import static io.herald.schema.compatibility.SchemaShapes.describeValues;
import static io.herald.schema.compatibility.SchemaShapes.enumeratedValues;
import static io.herald.schema.compatibility.SchemaShapes.hasConstraints;
import static io.herald.schema.compatibility.SchemaShapes.isEnumerated;
import static io.herald.schema.compatibility.SchemaShapes.rejectsEverything;
import static io.herald.schema.compatibility.SchemaShapes.token;
import static io.herald.schema.compatibility.SchemaShapes.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.schema.compatibility.SchemaShapes.Located;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One comparison of a writer's and a reader's schema (see {@link JsonSchemaChecker}): walks both side by side, resolving
 * local references, and reports every place where a document valid for the writer may be refused by the reader.
 */
final class SchemaWalk {
    /** Keywords this checker compares structurally; any other constraining keyword is compared for equality. */
    static final Set<String> MODELLED = Set.of(
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

    static final List<String> ALL_TYPES = List.of("null", "boolean", "object", "array", "number", "integer", "string");

    private final JsonNode writerRoot;
    private final JsonNode readerRoot;
    /** Pairs being compared right now: meeting one again means a recursive schema, assumed compatible there. */
    private final Set<String> inProgress = new HashSet<>();

    SchemaWalk(JsonNode writerRoot, JsonNode readerRoot) {
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
        String pair = w.pointer() + "|" + r.pointer();
        if (!inProgress.add(pair)) {
            return found;
        }
        try {
            compareResolved(w.node(), w.pointer(), r.node(), r.pointer(), found);
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
                JsonNode base = SchemaShapes.without(w, union);
                for (int i = 0; i < w.get(union).size(); i++) {
                    String branchPointer = wp + "/" + union + "/" + i;
                    Located branch = resolveWriter(w.get(union).get(i), branchPointer, found, rp);
                    if (branch != null && !rejectsEverything(branch.node())) {
                        found.addAll(compare(SchemaShapes.merge(base, branch.node()), branch.pointer(), r, rp));
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
            r = SchemaShapes.without(r, "allOf");
        }
        for (String union : List.of("anyOf", "oneOf")) {
            if (r.has(union) && r.get(union).isArray()) {
                checkReaderUnion(w, wp, r, rp, union, found);
                r = SchemaShapes.without(r, union);
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
            BoundRules.checkNumbers(w, wp, r, rp, checked.contains("number") ? "number" : "integer", found);
        }
        if (checked.contains("string")) {
            BoundRules.checkStrings(w, wp, r, rp, found);
        }
        if (checked.contains("array")) {
            ShapeRules.checkArrays(this, w, wp, r, rp, found);
        }
        if (checked.contains("object")) {
            ShapeRules.checkObjects(this, w, wp, r, rp, found);
        }
        checkUnmodelledKeywords(w, wp, r, rp, found);
    }

    // --- unions ---------------------------------------------------------------------------------------------

    private void checkReaderUnion(
            JsonNode w, String wp, JsonNode r, String rp, String union, List<Incompatibility> found) {
        List<Integer> accepting = new ArrayList<>();
        JsonNode branches = r.get(union);
        JsonNode base = SchemaShapes.without(r, union);
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
            found.add(new Incompatibility(
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
            if (!ValueAcceptance.valueAccepted(value, w, writerRoot, 0, true)) {
                continue; // listed, but refused by the writer's other keywords: never written
            }
            if (!ValueAcceptance.valueAccepted(value, r, readerRoot, 0, false)) {
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

    // --- arrays -----------------------------------------------------------------------------------------------

    // --- objects ----------------------------------------------------------------------------------------------

    private void checkUnmodelledKeywords(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
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
        for (int hops = 0; node != null && node.isObject() && node.path("$ref").isTextual(); hops++) {
            String reference = node.get("$ref").asText();
            JsonNode target = hops < 32 ? SchemaShapes.target(root, reference) : null;
            if (target == null) {
                found.add(new Incompatibility(
                        reader ? pointer + "/$ref" : otherPointer,
                        reader ? otherPointer : pointer + "/$ref",
                        IncompatibilityRule.UNRESOLVED_REFERENCE,
                        "reference " + reference + " cannot be resolved inside the schema, so this part "
                                + "cannot be compared (counted as breaking)"));
                return null;
            }
            JsonNode siblings = SchemaShapes.without(node, "$ref");
            String targetPointer = reference.length() > 1 ? reference.substring(1) : "";
            if (hasConstraints(siblings)) {
                if (reader) {
                    ObjectNode both = NODES.objectNode();
                    both.set("allOf", NODES.arrayNode().add(target).add(siblings));
                    return new Located(both, pointer);
                }
                return new Located(SchemaShapes.merge(target, siblings), targetPointer);
            }
            node = target;
            pointer = targetPointer;
        }
        return new Located(node, pointer);
    }

    private JsonNode mergeAllOf(JsonNode w, String wp, List<Incompatibility> found, String rp) {
        JsonNode merged = SchemaShapes.without(w, "allOf");
        for (int i = 0; i < w.get("allOf").size(); i++) {
            Located part = resolveWriter(w.get("allOf").get(i), wp + "/allOf/" + i, found, rp);
            if (part != null) {
                merged = SchemaShapes.merge(merged, part.node());
            }
        }
        return merged;
    }

    /** The reader's whole schema, against which its references resolve. */
    JsonNode readerRoot() {
        return readerRoot;
    }

    boolean acceptsEverythingResolved(JsonNode schema, JsonNode root) {
        JsonNode resolved = SchemaShapes.resolvePlain(root, schema);
        return resolved != null && acceptsEverything(resolved);
    }
}
