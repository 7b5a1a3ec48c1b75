package io.herald.testing;

import io.herald.broker.embedded.EmbeddedArtemis;
import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An embedded PostgreSQL and Artemis that outlive the Herald processes a test starts on them in external mode: the
 * database and broker several instances share, as in production.
 */
public final class SharedParts implements AutoCloseable {
    private final Path directory;
    private final EmbeddedDatabase database;
    private final EmbeddedArtemis broker;
    private final int brokerPort;

    private SharedParts(Path directory, EmbeddedDatabase database, EmbeddedArtemis broker, int brokerPort) {
        this.directory = directory;
        this.database = database;
        this.broker = broker;
        this.brokerPort = brokerPort;
    }

    /** Starts both with their data under {@code directory}; the database is new and empty. */
    public static SharedParts start(Path directory) throws IOException {
        DataDirectory data = DataDirectory.open(directory.resolve("shared").toString());
        int brokerPort = HeraldProcess.freePort();
        EmbeddedDatabase database = EmbeddedDatabase.start(data);
        EmbeddedArtemis broker =
                EmbeddedArtemis.start(data.part("artemis"), "127.0.0.1", brokerPort, 20, 8 * 1024 * 1024);
        return new SharedParts(directory, database, broker, brokerPort);
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /** The settings of an instance on these, with a data directory of its own. */
    public Map<String, String> settings(String instance) {
        return HeraldProcess.externalMode(database.jdbcUrl(), brokerPort, directory.resolve(instance));
    }

    @Override
    public void close() throws IOException {
        broker.stop();
        database.close();
    }
}
