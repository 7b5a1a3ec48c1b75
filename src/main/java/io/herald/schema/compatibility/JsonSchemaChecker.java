package io.herald.schema.compatibility;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

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
    @Override
    public List<Incompatibility> check(JsonNode writer, JsonNode reader) {
        return new SchemaWalk(writer, reader).compare(writer, "", reader, "");
    }
}
