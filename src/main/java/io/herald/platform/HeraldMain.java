package io.herald.platform;

import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.EmbeddedDatabase;
import io.herald.platform.embedded.StartupFailure;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Starts Herald. With no database configured ({@code HERALD_DB_URL}) it first starts the embedded PostgreSQL, because
 * Flyway needs a database while Quarkus starts. The embedded broker is started inside the application
 * ({@code EmbeddedBroker} in the broker part). Problems an operator can fix are reported as one line.
 */
@QuarkusMain
public class HeraldMain {

    public static void main(String... args) {
        EmbeddedDatabase database = null;
        try {
            boolean embeddedDatabase = BootSettings.get(BootSettings.DB_URL).isEmpty();
            boolean embeddedBroker = BootSettings.get(BootSettings.BROKER_HOST).isEmpty();
            requireFreePort(
                    BootSettings.port(BootSettings.HTTP_PORT, BootSettings.DEFAULT_HTTP_PORT),
                    "HTTP server",
                    "QUARKUS_HTTP_PORT");
            if (embeddedBroker) {
                requireFreePort(
                        BootSettings.port(BootSettings.EMBEDDED_BROKER_PORT, BootSettings.DEFAULT_EMBEDDED_BROKER_PORT),
                        "embedded AMQP broker",
                        BootSettings.environmentName(BootSettings.EMBEDDED_BROKER_PORT));
            }
            if (embeddedDatabase || embeddedBroker) {
                DataDirectory data = DataDirectory.open(
                        BootSettings.get(BootSettings.DATA_DIR).orElse(BootSettings.DEFAULT_DATA_DIR));
                System.setProperty(BootSettings.DATA_DIR, data.root().toString());
                if (BootSettings.get(BootSettings.SESSION_KEY).isEmpty()) {
                    // Console sessions survive restarts: the cookie key lives with the data.
                    System.setProperty(BootSettings.SESSION_KEY, data.secret("console-session.key"));
                }
                if (embeddedDatabase) {
                    database = EmbeddedDatabase.start(data);
                    database.datasourceConfig().forEach(System::setProperty);
                    System.setProperty(
                            "herald.db.embedded-directory",
                            database.dataDirectory().toString());
                }
            }
            if (BootSettings.get("herald.oidc.enabled")
                            .map(Boolean::parseBoolean)
                            .orElse(false)
                    && BootSettings.get("herald.console.auth-mechanism").isEmpty()) {
                System.setProperty(
                        "herald.console.auth-mechanism", "code"); // the console signs in through the provider too
            }
            if (BootSettings.get(BootSettings.SESSION_KEY).isEmpty()) {
                // No data directory to keep it in: a key for this process only (Quarkus would log the one it makes).
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                System.setProperty(
                        BootSettings.SESSION_KEY,
                        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key));
                System.err.println(
                        "Herald: HERALD_SESSION_KEY is not set; console sign-ins end when this instance stops and are not"
                                + " shared with other instances.");
            }
        } catch (StartupFailure failure) {
            System.err.println("Herald cannot start: " + failure.getMessage());
            System.exit(1);
        }
        try {
            Quarkus.run(HeraldApplication.class, args);
        } finally {
            closeQuietly(database);
        }
    }

    /** Quarkus would report a taken port with a stack trace; say it in one line instead, before anything starts. */
    static void requireFreePort(int port, String what, String variable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        } catch (IOException e) {
            throw new StartupFailure("Port " + port + " for the " + what
                    + " is already in use. Stop what uses it or set " + variable + " to a free port.");
        }
    }

    private static void closeQuietly(EmbeddedDatabase database) {
        if (database != null) {
            try {
                database.close();
            } catch (IOException ignored) {
                // The JVM is exiting; PostgreSQL's own shutdown hook stops it too.
            }
        }
    }

    public static class HeraldApplication implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
