package io.herald.schema.compatibility;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The one-method seam of compatibility checking: can a reader using {@code reader} read every document valid under
 * {@code writer}? Modes (BACKWARD, FORWARD, FULL, transitive or not) are built on this by choosing who reads whom.
 */
public interface SchemaCompatibilityChecker {

    /** Every reason a document valid under {@code writer} may be invalid under {@code reader}; empty if none. */
    List<Incompatibility> check(JsonNode writer, JsonNode reader);
}
