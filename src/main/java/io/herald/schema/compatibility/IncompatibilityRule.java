package io.herald.schema.compatibility;

/**
 * Why data one schema allows may be refused by another, by keyword family. The names are stable: the API shows them
 * as each finding's {@code rule}.
 */
public enum IncompatibilityRule {
    // Types
    TYPE_ADDED,
    TYPE_CHANGED,
    TYPE_NARROWED,
    // Values (enum, const, a writer's enumerated values)
    ENUM_ADDED,
    ENUM_VALUE_REMOVED,
    VALUE_NOT_ACCEPTED,
    // Numbers
    MINIMUM_ADDED,
    MINIMUM_TIGHTENED,
    MAXIMUM_ADDED,
    MAXIMUM_TIGHTENED,
    MULTIPLE_OF_ADDED,
    MULTIPLE_OF_CHANGED,
    // Strings
    MIN_LENGTH_TIGHTENED,
    MAX_LENGTH_TIGHTENED,
    MAX_LENGTH_ADDED,
    PATTERN_ADDED,
    PATTERN_CHANGED,
    FORMAT_ADDED,
    FORMAT_CHANGED,
    // Arrays
    MIN_ITEMS_TIGHTENED,
    MAX_ITEMS_TIGHTENED,
    MAX_ITEMS_ADDED,
    UNIQUE_ITEMS_ADDED,
    // Objects
    MIN_PROPERTIES_TIGHTENED,
    MAX_PROPERTIES_TIGHTENED,
    MAX_PROPERTIES_ADDED,
    PROPERTY_BECAME_REQUIRED,
    PROPERTY_ADDED_TO_OPEN_MODEL,
    PROPERTY_REMOVED_FROM_CLOSED_MODEL,
    CONTENT_MODEL_CLOSED,
    // Combinations (anyOf, oneOf, not, false schemas)
    NO_BRANCH_ACCEPTS,
    ONE_OF_AMBIGUOUS,
    NOT_CHANGED,
    READER_REJECTS_ALL,
    // What the checker cannot prove
    UNCOMPARED_KEYWORD,
    UNRESOLVED_REFERENCE;
}
