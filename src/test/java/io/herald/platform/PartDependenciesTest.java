package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies between Herald's parts (io.herald.<part>) point one way: no two parts use each other. */
class PartDependenciesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package io\\.herald\\.([a-z]+)", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("io\\.herald\\.([a-z]+)(?:\\.[a-z]+)*\\.[A-Z]");

    @Test
    void noTwoPartsDependOnEachOther() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/herald"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    continue;
                }
                String part = declared.group(1);
                Matcher reference = REFERENCE.matcher(text);
                while (reference.find()) {
                    if (!reference.group(1).equals(part)) {
                        uses.computeIfAbsent(part, p -> new TreeSet<>()).add(reference.group(1));
                    }
                }
            }
        }
        List<String> ties = new ArrayList<>();
        uses.forEach((part, used) -> used.stream()
                .filter(other -> part.compareTo(other) < 0
                        && uses.getOrDefault(other, Set.of()).contains(part))
                .forEach(other -> ties.add(part + " <-> " + other)));
        assertEquals(List.of(), ties, "parts that use each other: " + uses);
    }
}
