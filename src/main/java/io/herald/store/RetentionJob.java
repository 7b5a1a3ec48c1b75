package io.herald.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps the event store in shape, hourly and at start, on one instance at a time (advisory lock): prepares the
 * coming days' partitions; drops whole daily partitions once every topic's retention has passed them (no row-by-row
 * deletes for the bulk); deletes in batches only the events of topics whose retention is shorter than that. (Ingest
 * forgets its own idempotency keys: {@code DedupKeyPurge}.)
 */
@Singleton
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private static final long LOCK = 0x4865726c64L; // "Herld": one maintainer at a time across instances
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final AgroalDataSource dataSource;
    private final StoreConfig config;

    RetentionJob(AgroalDataSource dataSource, StoreConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void atStart(@Observes StartupEvent event) {
        maintain();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        maintain();
    }

    /** Runs one maintenance pass; returns the partitions dropped. */
    public List<String> maintain() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        connection.rollback();
                        return List.of();
                    }
                }
            }
            try (PreparedStatement ensure = connection.prepareStatement("select herald_ensure_event_partitions(?)")) {
                ensure.setInt(1, config.partitionsAhead());
                ensure.execute();
            }
            Instant now = Instant.now();
            Map<String, Long> retention = retentions(connection);
            long longest =
                    retention.values().stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
            List<String> dropped = new ArrayList<>();
            if (longest != Long.MAX_VALUE) {
                Instant cutoff = now.minusSeconds(longest);
                for (Map.Entry<String, LocalDate> partition :
                        partitions(connection).entrySet()) {
                    Instant end = partition
                            .getValue()
                            .plusDays(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant();
                    if (end.isBefore(cutoff)) {
                        try (PreparedStatement drop = connection.prepareStatement("drop table " + partition.getKey())) {
                            drop.execute();
                        }
                        dropped.add(partition.getKey());
                    }
                }
                deleteInBatches(connection, "deliveries", "event_accepted_at < ?", Timestamp.from(cutoff), null);
            }
            for (Map.Entry<String, Long> topic : retention.entrySet()) {
                if (topic.getValue() < longest) {
                    deleteInBatches(
                            connection,
                            "events",
                            "topic = ? and accepted_at < ?",
                            topic.getKey(),
                            Timestamp.from(now.minusSeconds(topic.getValue())));
                }
            }
            connection.commit();
            if (!dropped.isEmpty()) {
                LOG.infof("Retention: dropped event partitions %s", dropped);
            }
            return dropped;
        } catch (SQLException e) {
            LOG.warnf("Event store maintenance failed (%s); it runs again within the hour", e.getMessage());
            return List.of();
        }
    }

    private static Map<String, Long> retentions(Connection connection) throws SQLException {
        Map<String, Long> retention = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("select name, retention_seconds from topics");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                retention.put(rs.getString(1), rs.getLong(2));
            }
        }
        return retention;
    }

    /** Daily partitions by name ({@code events_YYYYMMDD}) and day. */
    private static Map<String, LocalDate> partitions(Connection connection) throws SQLException {
        Map<String, LocalDate> partitions = new LinkedHashMap<>();
        String sql =
                "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass";
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.matches("events_[0-9]{8}")) {
                    try {
                        partitions.put(name, LocalDate.parse(name.substring(7), DAY));
                    } catch (DateTimeParseException ignored) {
                        // not one of ours
                    }
                }
            }
        }
        return partitions;
    }

    private void deleteInBatches(Connection connection, String table, String condition, Object first, Object second)
            throws SQLException {
        String key = table.equals("events") ? "(id, accepted_at)" : "id";
        String sql = "delete from " + table + " where " + key + " in (select " + key.replaceAll("[()]", "") + " from "
                + table + " where " + condition + " limit " + config.purgeBatchSize() + ")";
        int deleted;
        do {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, first);
                if (second != null) {
                    statement.setObject(2, second);
                }
                deleted = statement.executeUpdate();
            }
        } while (deleted == config.purgeBatchSize());
    }
}
