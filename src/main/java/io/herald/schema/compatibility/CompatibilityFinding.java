package io.herald.schema.compatibility;

/**
 * One incompatibility of a candidate schema with one registered version, in the direction that breaks.
 *
 * @param pointer         JSON pointer into the candidate schema
 * @param previousPointer JSON pointer into the registered version
 * @param direction       BACKWARD (the candidate cannot read the version's events) or FORWARD (the version cannot read
 *                        the candidate's events)
 * @param version         the registered version compared with
 * @param rule            stable code, e.g. {@code PROPERTY_BECAME_REQUIRED}
 * @param message         the sentence, naming the direction
 */
public record CompatibilityFinding(
        String pointer, String previousPointer, String direction, int version, String rule, String message) {}
