package io.herald.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the README documents, for the deploy tests to hold the deploy files to it. */
final class DeployDocs {
    private DeployDocs() {}

    /** Every environment variable in the README's configuration table ({@code | `HERALD_X`, `HERALD_Y` | ...}). */
    static Set<String> documentedSettings() throws IOException {
        Set<String> settings = new TreeSet<>();
        Pattern variable = Pattern.compile("`((?:HERALD|QUARKUS)_[A-Z0-9_]+)`");
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("| `")) {
                String firstColumn = line.substring(1, line.indexOf('|', 1));
                Matcher found = variable.matcher(firstColumn);
                while (found.find()) {
                    settings.add(found.group(1));
                }
            }
        }
        return settings;
    }
}
