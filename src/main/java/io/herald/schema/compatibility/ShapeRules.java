package io.herald.schema.compatibility;

import static io.herald.schema.compatibility.SchemaShapes.NODES;
import static io.herald.schema.compatibility.SchemaShapes.acceptsEverything;
import static io.herald.schema.compatibility.SchemaShapes.rejectsEverything;
import static io.herald.schema.compatibility.SchemaShapes.strings;
import static io.herald.schema.compatibility.SchemaShapes.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.compatibility.SchemaShapes.ArrayShape;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape keywords: array items (prefixItems, items, additionalItems, uniqueItems, counts) and object properties
 * (properties, required, additionalProperties, counts), compared by recursing into the walk.
 */
final class ShapeRules {
    private ShapeRules() {}

    static void checkArrays(
            SchemaWalk walk, JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
        ArrayShape writer = ArrayShape.of(w, wp);
        ArrayShape reader = ArrayShape.of(r, rp);
        int positions = Math.max(writer.prefix().size(), reader.prefix().size());
        for (int i = 0; i < positions; i++) {
            found.addAll(walk.compare(writer.at(i), writer.pointerAt(i), reader.at(i), reader.pointerAt(i)));
        }
        found.addAll(walk.compare(writer.rest(), writer.restPointer(), reader.rest(), reader.restPointer()));
        BoundRules.checkMinimumCount(w, wp, r, rp, "minItems", IncompatibilityRule.MIN_ITEMS_TIGHTENED, "items", found);
        BoundRules.checkMaximumCount(
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

    static void checkObjects(
            SchemaWalk walk, JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
        JsonNode writerProperties = w.path("properties");
        JsonNode readerProperties = r.path("properties");
        JsonNode writerOthers = undeclaredPropertySchema(w);
        JsonNode readerOthers = undeclaredPropertySchema(r);
        for (Iterator<Map.Entry<String, JsonNode>> it = readerProperties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            String readerPointer = rp + "/properties/" + token(name);
            if (writerProperties.has(name)) {
                found.addAll(walk.compare(
                        writerProperties.get(name),
                        wp + "/properties/" + token(name),
                        property.getValue(),
                        readerPointer));
            } else if (!rejectsEverything(writerOthers)
                    && !walk.acceptsEverythingResolved(property.getValue(), walk.readerRoot())) {
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
                    found.addAll(walk.compare(
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
                found.addAll(walk.compare(
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
                found.addAll(walk.compare(
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
        BoundRules.checkMinimumCount(
                w, wp, r, rp, "minProperties", IncompatibilityRule.MIN_PROPERTIES_TIGHTENED, "properties", found);
        BoundRules.checkMaximumCount(
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
    static JsonNode undeclaredPropertySchema(JsonNode schema) {
        JsonNode additional = schema.get("additionalProperties");
        if (schema.has("patternProperties")
                && !(additional != null && additional.isBoolean() && !additional.asBoolean())) {
            return NODES.booleanNode(true); // pattern-matched properties: treated as open (conservative for a writer)
        }
        return additional == null ? NODES.booleanNode(true) : additional;
    }
}
