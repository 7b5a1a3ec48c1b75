package io.herald.testing;

import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code HeraldMain} does for a real start, done for {@code @QuarkusTest}s (which never call the main): an embedded
 * PostgreSQL and Artemis under a fresh data directory, unless the environment points at external ones
 * ({@code HERALD_DB_URL}, {@code HERALD_BROKER_HOST}), as it does in the RabbitMQ/PostgreSQL pass.
 * Applies to every test class (it is registered globally by the annotation below).
 */
@QuarkusTestResource(value = HeraldTestRuntime.class, restrictToAnnotatedClass = false)
public class HeraldTestRuntime implements QuarkusTestResourceLifecycleManager {
    private EmbeddedDatabase database;

    public static boolean externalBroker() {
        return System.getenv("HERALD_BROKER_HOST") != null;
    }

    public static boolean externalDatabase() {
        return System.getenv("HERALD_DB_URL") != null;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        DataDirectory data = DataDirectory.open(freshDirectory().toString());
        config.put("herald.data-dir", data.root().toString());
        if (!externalDatabase()) {
            database = EmbeddedDatabase.start(data);
            config.putAll(database.datasourceConfig());
            config.put("herald.db.embedded-directory", database.dataDirectory().toString());
        }
        if (!externalBroker()) {
            config.put("herald.broker.embedded.port", Integer.toString(freePort()));
        }
        System.out.println(describePass());
        ApiKeyFilter.install();
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String describePass() {
        if (externalDatabase() || externalBroker()) {
            return "[herald-tests] EXTERNAL PASS: PostgreSQL "
                    + (externalDatabase() ? System.getenv("HERALD_DB_URL") : "embedded")
                    + ", broker "
                    + (externalBroker()
                            ? System.getenv("HERALD_BROKER_FLAVOUR") + " at " + System.getenv("HERALD_BROKER_HOST")
                            : "embedded Artemis");
        }
        String embedded = "[herald-tests] EMBEDDED PASS (PostgreSQL and Artemis in-process).";
        if (System.getenv("HERALD_IT_DB_URL") != null) {
            return embedded + " The RabbitMQ/PostgreSQL pass runs after it.";
        }
        return embedded
                + " The RabbitMQ/PostgreSQL pass is SKIPPED in this run: set HERALD_IT_DB_URL, HERALD_IT_BROKER_* "
                + "(see README) to run it, as .ci/run does.";
    }

    private static Path freshDirectory() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target.toAbsolutePath(), "herald-test-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
