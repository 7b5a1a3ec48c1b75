package io.herald.schema.compatibility;

/**
 * One way data written with one schema may be refused by a reader using another.
 *
 * @param readerPointer JSON pointer into the reading schema where the difference is
 * @param writerPointer JSON pointer into the writing schema at the same place
 * @param rule          which rule it breaks, e.g. {@link IncompatibilityRule#TYPE_NARROWED}
 * @param message       a sentence a developer can act on
 */
public record Incompatibility(String readerPointer, String writerPointer, IncompatibilityRule rule, String message) {}
