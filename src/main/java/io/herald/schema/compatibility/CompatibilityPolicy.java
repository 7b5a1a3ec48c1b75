package io.herald.schema.compatibility;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.topic.CompatibilityMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The modes, with the meaning Confluent's and Apicurio's registries give them, on top of the reader/writer checker:
 * BACKWARD - a consumer using the candidate can read events written with the previous version;
 * FORWARD - a consumer using the previous version can read events written with the candidate;
 * FULL - both; *_TRANSITIVE - against every earlier (not soft-deleted) version instead of only the latest.
 */
public final class CompatibilityPolicy {
    private final SchemaCompatibilityChecker checker;

    public CompatibilityPolicy(SchemaCompatibilityChecker checker) {
        this.checker = checker;
    }

    /** A registered version, oldest first in the lists given to {@link #evaluate}. */
    public record RegisteredSchema(int version, JsonNode schema) {}

    public CompatibilityReport evaluate(CompatibilityMode mode, JsonNode candidate, List<RegisteredSchema> registered) {
        if (mode == CompatibilityMode.NONE || registered.isEmpty()) {
            return new CompatibilityReport(true, mode, List.of(), List.of());
        }
        boolean transitive = mode.name().endsWith("_TRANSITIVE");
        List<RegisteredSchema> against = transitive ? registered : List.of(registered.get(registered.size() - 1));
        boolean backward = mode.name().startsWith("BACKWARD") || mode.name().startsWith("FULL");
        boolean forward = mode.name().startsWith("FORWARD") || mode.name().startsWith("FULL");
        List<CompatibilityFinding> findings = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        for (int i = against.size() - 1; i >= 0; i--) {
            RegisteredSchema previous = against.get(i);
            versions.add(previous.version());
            if (backward) {
                for (Incompatibility found : checker.check(previous.schema(), candidate)) {
                    findings.add(new CompatibilityFinding(
                            found.readerPointer(),
                            found.writerPointer(),
                            "BACKWARD",
                            previous.version(),
                            found.rule().name(),
                            "Breaks BACKWARD: a consumer using the new schema (reader) cannot read events written "
                                    + "with version " + previous.version() + " (writer): " + found.message()));
                }
            }
            if (forward) {
                for (Incompatibility found : checker.check(candidate, previous.schema())) {
                    findings.add(new CompatibilityFinding(
                            found.writerPointer(),
                            found.readerPointer(),
                            "FORWARD",
                            previous.version(),
                            found.rule().name(),
                            "Breaks FORWARD: a consumer using version " + previous.version() + " (reader) cannot read "
                                    + "events written with the new schema (writer): " + found.message()));
                }
            }
        }
        return new CompatibilityReport(findings.isEmpty(), mode, versions, findings);
    }
}
