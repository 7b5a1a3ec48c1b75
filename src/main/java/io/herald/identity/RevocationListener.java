package io.herald.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Verified API keys kept in memory, so a request costs neither a hash nor a read, while a revocation still holds at
 * once on every instance: a revoke commits {@code NOTIFY herald_api_keys} with the key's id, and each instance's
 * listener drops that key. While the listener is not connected the cache is not used at all; entries also expire
 * after a short while, should a notification ever be missed.
 */
@Singleton
public class RevocationListener {
    static final String CHANNEL = "herald_api_keys";
    private static final Logger LOG = Logger.getLogger(RevocationListener.class);
    private static final Duration KEEP = Duration.ofSeconds(30);

    private final AgroalDataSource dataSource;
    private final Cache<String, ApiKeyService.Verified> verified =
            Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(10_000).build();
    private volatile boolean listening;
    private volatile boolean running = true;
    private Thread thread;

    RevocationListener(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::listen, "herald-api-key-revocations");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** A key verified earlier and not revoked since, or null. */
    ApiKeyService.Verified get(String presented) {
        return listening ? verified.getIfPresent(presented) : null;
    }

    void put(String presented, ApiKeyService.Verified key) {
        if (listening) {
            verified.put(presented, key);
        }
    }

    /** Forgets a key on this instance (the NOTIFY does it on the others). */
    void forget(String keyId) {
        verified.asMap().values().removeIf(key -> key.id().equals(keyId));
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                listening = true;
                while (running) {
                    PGNotification[] received = notifications.getNotifications(1000);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            forget(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (listening) {
                    LOG.warnf(
                            "API key revocations cannot be heard (%s); keys are checked against the database until they can",
                            e.getMessage());
                }
            } finally {
                listening = false;
                verified.invalidateAll();
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
