package io.herald.schema.compatibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.topic.CompatibilityMode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The compatibility rules as a table (src/test/resources/compatibility-cases.json): registered versions, a candidate,
 * a mode, and the expected verdict with the pointers (into the candidate) of every finding.
 */
class CompatibilityCasesTest {
    private static final CompatibilityPolicy POLICY = new CompatibilityPolicy(new JsonSchemaChecker());

    @TestFactory
    Stream<DynamicTest> everyCase() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/compatibility-cases.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        assertTrue(cases.size() >= 40, "at least 40 cases");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(
                    c.get("mode").asText() + ": " + c.get("name").asText(), () -> check(c)));
        }
        return tests.stream();
    }

    private static void check(JsonNode c) {
        List<CompatibilityPolicy.RegisteredSchema> versions = new ArrayList<>();
        for (int i = 0; i < c.get("versions").size(); i++) {
            versions.add(new CompatibilityPolicy.RegisteredSchema(
                    i + 1, c.get("versions").get(i)));
        }
        CompatibilityReport report =
                POLICY.evaluate(CompatibilityMode.valueOf(c.get("mode").asText()), c.get("candidate"), versions);
        String findings = report.incompatibilities().stream()
                .map(f -> f.pointer() + " " + f.rule() + ": " + f.message())
                .reduce("", (a, b) -> a + "\n  " + b);
        assertEquals(c.get("compatible").asBoolean(), report.compatible(), "verdict; findings:" + findings);
        assertEquals(
                strings(c.get("pointers")),
                new TreeSet<>(report.incompatibilities().stream()
                        .map(CompatibilityFinding::pointer)
                        .toList()),
                "pointers; findings:" + findings);
        if (c.has("rules")) {
            assertEquals(
                    strings(c.get("rules")),
                    new TreeSet<>(report.incompatibilities().stream()
                            .map(CompatibilityFinding::rule)
                            .toList()),
                    "rules; findings:" + findings);
        }
        if (c.has("directions")) {
            assertEquals(
                    strings(c.get("directions")),
                    new TreeSet<>(report.incompatibilities().stream()
                            .map(CompatibilityFinding::direction)
                            .toList()),
                    "directions; findings:" + findings);
        }
        if (c.has("versionsFailing")) {
            TreeSet<String> failing = new TreeSet<>();
            report.incompatibilities().forEach(f -> failing.add(Integer.toString(f.version())));
            assertEquals(strings(c.get("versionsFailing")), failing, "failing versions; findings:" + findings);
        }
        report.incompatibilities()
                .forEach(f -> assertTrue(f.message().startsWith("Breaks " + f.direction()), f.message()));
    }

    private static TreeSet<String> strings(JsonNode array) {
        TreeSet<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
