package io.herald.flow;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * Per-minute figures of the event flow (accepted per topic; delivered, failed and end-to-end latency per
 * subscription) counted in memory and written every few seconds to {@code flow_minutes}, one row per instance, so
 * the dashboard reads a few hundred small rows instead of scanning the event store. A crash loses at most the last
 * few seconds of figures, never an event.
 */
@Singleton
public class FlowStats {
    private static final Logger LOG = Logger.getLogger(FlowStats.class);
    /** Upper bounds (ms) of the latency histogram's buckets; the last bucket is everything above. */
    public static final long[] BUCKET_BOUNDS_MS = {
        1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 7_000,
        10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000
    };

    static final Duration KEEP = Duration.ofDays(7);

    private final AgroalDataSource dataSource;
    private final String instanceId = "i_" + UUID.randomUUID().toString().substring(0, 13);
    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();
    private volatile Instant lastPurge = Instant.EPOCH;

    FlowStats(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Key(Instant minute, String topic, String subscriptionId) {}

    private static final class Counters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLongArray latency = new AtomicLongArray(BUCKET_BOUNDS_MS.length + 1);
        volatile boolean dirty;
    }

    public void accepted(String topic, int count) {
        Counters c = counters(new Key(minute(), topic, ""));
        c.accepted.addAndGet(count);
        c.dirty = true;
    }

    /** A successful attempt; {@code latencyMs} is accepted-to-delivered, or negative when not a first delivery. */
    public void delivered(String subscriptionId, long latencyMs) {
        Counters c = counters(new Key(minute(), "", subscriptionId));
        c.delivered.incrementAndGet();
        if (latencyMs >= 0) {
            c.latency.incrementAndGet(bucket(latencyMs));
        }
        c.dirty = true;
    }

    public void failed(String subscriptionId) {
        Counters c = counters(new Key(minute(), "", subscriptionId));
        c.failed.incrementAndGet();
        c.dirty = true;
    }

    static int bucket(long latencyMs) {
        for (int i = 0; i < BUCKET_BOUNDS_MS.length; i++) {
            if (latencyMs <= BUCKET_BOUNDS_MS[i]) {
                return i;
            }
        }
        return BUCKET_BOUNDS_MS.length;
    }

    private Counters counters(Key key) {
        return counters.computeIfAbsent(key, k -> new Counters());
    }

    private static Instant minute() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES);
    }

    /** Writes this instance's figures so far; each row holds totals, so a repeated write is harmless. */
    @Scheduled(every = "${herald.flow.flush-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        Instant current = minute();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(
                        "insert into flow_minutes (minute, instance_id, topic, "
                                + "subscription_id, accepted, delivered, failed, latency_buckets) values (?, ?, ?, ?, ?, ?, ?, ?) "
                                + "on conflict (minute, instance_id, topic, subscription_id) do update set accepted = excluded.accepted, "
                                + "delivered = excluded.delivered, failed = excluded.failed, latency_buckets = excluded.latency_buckets")) {
            int rows = 0;
            for (Map.Entry<Key, Counters> entry : counters.entrySet()) {
                Key key = entry.getKey();
                Counters c = entry.getValue();
                boolean past = key.minute().isBefore(current);
                if (c.dirty) {
                    c.dirty = false;
                    upsert.setTimestamp(1, Timestamp.from(key.minute()));
                    upsert.setString(2, instanceId);
                    upsert.setString(3, key.topic());
                    upsert.setString(4, key.subscriptionId());
                    upsert.setLong(5, c.accepted.get());
                    upsert.setLong(6, c.delivered.get());
                    upsert.setLong(7, c.failed.get());
                    upsert.setArray(8, latencyArray(connection, c));
                    upsert.addBatch();
                    rows++;
                }
                if (past && key.minute().isBefore(current.minus(Duration.ofMinutes(1)))) {
                    counters.remove(
                            key); // late counts land in the following minute's key, so nothing more arrives here
                }
            }
            if (rows > 0) {
                upsert.executeBatch();
            }
            purgeOld(connection);
        } catch (SQLException e) {
            counters.values().forEach(c -> c.dirty = true); // try again at the next flush
            LOG.warnf("Flow figures not written (will retry): %s", e.getMessage());
        }
    }

    private static Array latencyArray(Connection connection, Counters c) throws SQLException {
        Long[] values = new Long[c.latency.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.latency.get(i);
        }
        return connection.createArrayOf("bigint", values);
    }

    private void purgeOld(Connection connection) throws SQLException {
        Instant now = Instant.now();
        if (Duration.between(lastPurge, now).toHours() < 1) {
            return;
        }
        lastPurge = now;
        try (PreparedStatement delete = connection.prepareStatement("delete from flow_minutes where minute < ?")) {
            delete.setTimestamp(1, Timestamp.from(now.minus(KEEP)));
            delete.executeUpdate();
        }
    }
}
