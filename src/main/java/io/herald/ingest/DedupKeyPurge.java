package io.herald.ingest;

import io.agroal.api.AgroalDataSource;
import io.herald.store.StoreConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Forgets producer-given (source, id) pairs older than the dedup window (the group commit's {@code event_keys}), hourly
 * and at start, a batch per statement. Any instance may run it at any time: deleting what is expired is idempotent.
 */
@Singleton
public class DedupKeyPurge {
    private static final Logger LOG = Logger.getLogger(DedupKeyPurge.class);

    private final AgroalDataSource dataSource;
    private final IngestConfig config;
    private final StoreConfig store;

    DedupKeyPurge(AgroalDataSource dataSource, IngestConfig config, StoreConfig store) {
        this.dataSource = dataSource;
        this.config = config;
        this.store = store;
    }

    void atStart(@Observes StartupEvent event) {
        purge();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        purge();
    }

    /** Deletes the expired keys; returns how many. */
    public int purge() {
        Timestamp expired = Timestamp.from(Instant.now().minus(config.dedupWindow()));
        int batch = store.purgeBatchSize();
        int total = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("delete from event_keys where (source, ce_id) in "
                                + "(select source, ce_id from event_keys where accepted_at < ? limit " + batch + ")")) {
            int deleted;
            do {
                delete.setTimestamp(1, expired);
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == batch);
        } catch (SQLException e) {
            LOG.warnf("Expired idempotency keys were not forgotten (%s); the next run tries again", e.getMessage());
        }
        return total;
    }
}
