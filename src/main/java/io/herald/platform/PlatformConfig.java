package io.herald.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the platform part. Every key is documented in the README's configuration table. */
@ConfigMapping(prefix = "herald")
public interface PlatformConfig {

    /** Where the embedded PostgreSQL and Artemis keep their data ({@code HERALD_DATA_DIR}). */
    @WithDefault(BootSettings.DEFAULT_DATA_DIR)
    String dataDir();

    /**
     * Key that encrypts stored credentials of webhook endpoints ({@code HERALD_SECRETS_KEY}, at least 32 characters),
     * the same on every instance; absent, a key generated into {@code <data dir>/secrets.key} on first use.
     */
    Optional<String> secretsKey();

    Db db();

    Shutdown shutdown();

    /** {@code HERALD_BENCH_ENDPOINTS}: serve {@code POST /bench/noop} (the HTTP ceiling of bench/run.sh); off otherwise. */
    @WithDefault("false")
    boolean benchEndpoints();

    interface Db {
        /** JDBC URL of an external PostgreSQL; absent means the embedded one ({@code HERALD_DB_URL}). */
        Optional<String> url();

        /** Database user ({@code HERALD_DB_USER}); the embedded database uses {@code postgres}. */
        Optional<String> user();

        /** Database password ({@code HERALD_DB_PASSWORD}). Never logged. */
        Optional<String> password();

        /** Largest number of pooled connections ({@code HERALD_DB_POOL_SIZE}). */
        @WithDefault("20")
        int poolSize();

        /** Set by the launcher when it started the embedded PostgreSQL: where its cluster lives. */
        Optional<String> embeddedDirectory();
    }

    /** How an instance stops on SIGTERM (README, "Deploy"); the defaults are in application.properties. */
    interface Shutdown {
        /**
         * Readiness reports DOWN this long before the instance stops taking requests ({@code HERALD_SHUTDOWN_DELAY}):
         * the time a load balancer or Kubernetes needs to stop sending it traffic.
         */
        Duration delay();

        /**
         * How long requests in flight, and then deliveries in flight, may take to finish ({@code HERALD_SHUTDOWN_GRACE});
         * what is still running after it is handed back to the other instances.
         */
        Duration grace();
    }
}
