package io.herald.platform;

import java.util.Locale;
import java.util.Optional;

/**
 * The few settings read before Quarkus starts (it is the embedded database that Quarkus needs at start).
 * Same precedence as Quarkus: a system property wins over the environment variable of the same key.
 */
public final class BootSettings {
    public static final String DATA_DIR = "herald.data-dir";
    public static final String SESSION_KEY = "herald.session-key";
    public static final String DB_URL = "herald.db.url";
    public static final String BROKER_HOST = "herald.broker.host";
    public static final String EMBEDDED_BROKER_PORT = "herald.broker.embedded.port";
    public static final String HTTP_PORT = "quarkus.http.port";

    public static final String DEFAULT_DATA_DIR = "data";
    public static final int DEFAULT_EMBEDDED_BROKER_PORT = 5673;
    public static final int DEFAULT_HTTP_PORT = 8080;

    private BootSettings() {}

    public static Optional<String> get(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(environmentName(key));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public static int port(String key, int defaultPort) {
        String value = get(key).orElse(Integer.toString(defaultPort));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new io.herald.platform.embedded.StartupFailure(environmentName(key) + "=" + value
                    + " is not a port number. Set it to a number between 1 and 65535.");
        }
    }

    /** MicroProfile Config's mapping: {@code herald.data-dir} is read from {@code HERALD_DATA_DIR}. */
    public static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
