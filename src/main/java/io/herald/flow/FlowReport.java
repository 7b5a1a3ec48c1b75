package io.herald.flow;

import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.store.DeliveryRows;
import io.herald.store.OrderedRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What the dashboard and the subscription list show: per-minute flow, latency percentiles, backlog and health. */
@ApplicationScoped
public class FlowReport {
    static final int MINUTES = 60;
    static final Duration LATENCY_WINDOW = Duration.ofMinutes(15);
    static final Duration HEALTH_WINDOW = Duration.ofHours(24);
    /** How long the dashboard waits for the broker to count the subscriptions' queues. */
    static final Duration QUEUE_DEPTH_WAIT = Duration.ofSeconds(2);

    private final AgroalDataSource dataSource;
    private final BrokerClient broker;

    FlowReport(AgroalDataSource dataSource, BrokerClient broker) {
        this.dataSource = dataSource;
        this.broker = broker;
    }

    public record Minute(Instant minute, long accepted, long delivered, long failed) {}

    /** Latency percentiles are bucket upper bounds, so "p99 50 ms" reads "99 % arrived within 50 ms". */
    public record Latency(long samples, Long p50Ms, Long p99Ms) {}

    public record SubscriptionHealth(
            String id,
            String name,
            String topic,
            String kind,
            String state,
            Long backlog,
            long delivered,
            long failed,
            Double successRate,
            Instant lastFailure,
            int consecutiveFailures,
            String disabledReason) {
        public boolean troubled() {
            return "disabled".equals(state) || consecutiveFailures > 0;
        }
    }

    public record Overview(List<Minute> minutes, Latency latency, List<SubscriptionHealth> subscriptions) {
        public Minute lastFullMinute() {
            return minutes.size() < 2 ? new Minute(Instant.EPOCH, 0, 0, 0) : minutes.get(minutes.size() - 2);
        }

        public List<SubscriptionHealth> troubled() {
            return subscriptions.stream().filter(SubscriptionHealth::troubled).toList();
        }
    }

    public Overview overview() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return new Overview(minutes(connection), latency(connection, null), health(connection, null));
        }
    }

    public List<SubscriptionHealth> health() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return health(connection, null);
        }
    }

    /** One subscription's health, or null when it does not exist. */
    public SubscriptionHealth health(String subscriptionId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<SubscriptionHealth> one = health(connection, subscriptionId);
            return one.isEmpty() ? null : one.get(0);
        }
    }

    /** Events accepted per topic in the last 24 hours. */
    public Map<String, Long> acceptedPerTopic() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("select topic, sum(accepted) from flow_minutes "
                                + "where minute >= ? and topic <> '' group by topic")) {
            statement.setTimestamp(1, Timestamp.from(Instant.now().minus(HEALTH_WINDOW)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    private static List<Minute> minutes(Connection connection) throws SQLException {
        Instant last = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant first = last.minus(Duration.ofMinutes(MINUTES - 1));
        Map<Instant, Minute> byMinute = new LinkedHashMap<>();
        for (Instant m = first; !m.isAfter(last); m = m.plus(Duration.ofMinutes(1))) {
            byMinute.put(m, new Minute(m, 0, 0, 0));
        }
        try (PreparedStatement statement =
                connection.prepareStatement("select minute, sum(accepted), sum(delivered), sum(failed) "
                        + "from flow_minutes where minute >= ? group by minute")) {
            statement.setTimestamp(1, Timestamp.from(first));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Instant minute = rows.getTimestamp(1).toInstant();
                    byMinute.put(minute, new Minute(minute, rows.getLong(2), rows.getLong(3), rows.getLong(4)));
                }
            }
        }
        return new ArrayList<>(byMinute.values());
    }

    static Latency latency(Connection connection, String subscriptionId) throws SQLException {
        long[] buckets = new long[FlowStats.BUCKET_BOUNDS_MS.length + 1];
        try (PreparedStatement statement =
                connection.prepareStatement("select latency_buckets from flow_minutes where minute >= ? "
                        + "and subscription_id <> '' and latency_buckets is not null"
                        + (subscriptionId == null ? "" : " and subscription_id = ?"))) {
            statement.setTimestamp(1, Timestamp.from(Instant.now().minus(LATENCY_WINDOW)));
            if (subscriptionId != null) {
                statement.setString(2, subscriptionId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Array array = rows.getArray(1);
                    Long[] values = (Long[]) array.getArray();
                    for (int i = 0; i < Math.min(values.length, buckets.length); i++) {
                        buckets[i] += values[i] == null ? 0 : values[i];
                    }
                }
            }
        }
        return percentiles(buckets);
    }

    static Latency percentiles(long[] buckets) {
        long total = 0;
        for (long count : buckets) {
            total += count;
        }
        if (total == 0) {
            return new Latency(0, null, null);
        }
        return new Latency(total, bound(buckets, total, 0.50), bound(buckets, total, 0.99));
    }

    private static Long bound(long[] buckets, long total, double quantile) {
        long needed = (long) Math.ceil(total * quantile);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= needed) {
                return i < FlowStats.BUCKET_BOUNDS_MS.length ? FlowStats.BUCKET_BOUNDS_MS[i] : null;
            }
        }
        return null;
    }

    /** Every subscription's health, or only {@code subscriptionId}'s when given. */
    private List<SubscriptionHealth> health(Connection connection, String subscriptionId) throws SQLException {
        String only = subscriptionId == null ? "" : " and subscription_id = ?";
        Map<String, long[]> figures = new HashMap<>();
        Map<String, Instant> lastFailure = new HashMap<>();
        try (PreparedStatement statement =
                connection.prepareStatement("select subscription_id, sum(delivered), sum(failed), "
                        + "max(minute) filter (where failed > 0) from flow_minutes where minute >= ? and subscription_id <> ''"
                        + only
                        + " group by subscription_id")) {
            statement.setTimestamp(1, Timestamp.from(Instant.now().minus(HEALTH_WINDOW)));
            if (subscriptionId != null) {
                statement.setString(2, subscriptionId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    figures.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                    Timestamp failure = rows.getTimestamp(4);
                    if (failure != null) {
                        lastFailure.put(rows.getString(1), failure.toInstant());
                    }
                }
            }
        }
        List<SubscriptionHealth> result = new ArrayList<>();
        List<CompletableFuture<Long>> depths = new ArrayList<>();
        List<Function<Long, SubscriptionHealth>> withBacklog = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("select s.id, s.name, s.topic_pattern, s.kind, s.state, "
                        + "s.queue_name, s.consecutive_failures, s.disabled_reason, "
                        + DeliveryRows.OWED_BY_DELIVERED_SUBSCRIPTION + " + " + OrderedRows.WAITING_OF_SUBSCRIPTION
                        + " from subscriptions s" + (subscriptionId == null ? "" : " where s.id = ?")
                        + " order by s.name, s.id")) {
            if (subscriptionId != null) {
                statement.setString(1, subscriptionId);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    long[] f = figures.getOrDefault(id, new long[2]);
                    Double rate = f[0] + f[1] == 0 ? null : 100.0 * f[0] / (f[0] + f[1]);
                    // A webhook delivery still owed is in the outbox or scheduled for a retry (both indexed), waiting
                    // in an
                    // ordered line, or in its queue (which the broker counts, rather than a scan of every delivery).
                    long owedInDatabase = "QUEUE".equals(rows.getString(4)) ? 0 : rows.getLong(9);
                    depths.add(broker.messageCount(rows.getString(6))
                            .map(depth -> depth + owedInDatabase)
                            .toCompletionStage()
                            .toCompletableFuture());
                    String name = rows.getString(2);
                    String topic = rows.getString(3);
                    String kind = lower(rows.getString(4));
                    String state = lower(rows.getString(5));
                    String disabledReason = rows.getString(8);
                    int consecutiveFailures = rows.getInt(7);
                    withBacklog.add(backlog -> new SubscriptionHealth(
                            id,
                            name,
                            topic,
                            kind,
                            state,
                            backlog,
                            f[0],
                            f[1],
                            rate,
                            lastFailure.get(id),
                            consecutiveFailures,
                            disabledReason));
                }
            }
        }
        // The broker answers every queue's count at once; one deadline for all of them.
        long deadline = System.nanoTime() + QUEUE_DEPTH_WAIT.toNanos();
        for (int i = 0; i < withBacklog.size(); i++) {
            result.add(withBacklog.get(i).apply(backlog(depths.get(i), deadline)));
        }
        return result;
    }

    /** States and kinds read as the API writes them. */
    private static String lower(String value) {
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    /** A subscription's backlog; unknown (null) when the broker cannot say its queue's depth by the deadline. */
    private static Long backlog(CompletableFuture<Long> depth, long deadline) {
        try {
            return depth.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}
