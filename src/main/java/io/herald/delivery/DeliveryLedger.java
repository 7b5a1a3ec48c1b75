package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.herald.platform.Batcher;
import io.herald.platform.MicroBatcher;
import io.herald.store.DeliveryRows;
import io.herald.store.DeliveryState;
import io.herald.store.OrderedRows;
import io.herald.store.SqlArrays;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The recorded life of deliveries in PostgreSQL: claiming due retries (with a lease, so a crashed instance's retry is
 * taken over by another), and recording each attempt with the state its outcome leads to, in one transaction with the
 * subscription's run of failures and any operational event it causes. The same for every destination.
 */
@Singleton
public class DeliveryLedger {
    private static final String EVENT_COLUMNS =
            "e.id, e.topic, e.ce_id, e.source, e.type, e.subject, e.time, e.data_content_type, e.data, e.extensions";
    private static final int MAX_GROUP = 500;
    private static final Recorded DELIVERED = new Recorded(DeliveryState.DELIVERED, false, false, null);

    private final AgroalDataSource dataSource;
    private final OrderedLines lines;
    private final FailureAccounting failures;
    private final RetryPolicy retryPolicy;
    private final ObjectMapper json;
    /** One thread commits groups (one writer, so groups never wait on each other's subscription rows). */
    private final Batcher<PendingRecord> pendingRecords;

    private final MicroBatcher<String, Optional<Integer>> firstAttempts;

    DeliveryLedger(
            AgroalDataSource dataSource,
            FailureAccounting failures,
            DeliveryConfig config,
            ObjectMapper json,
            OrderedLines lines) {
        this.dataSource = dataSource;
        this.lines = lines;
        this.failures = failures;
        this.retryPolicy = new RetryPolicy(config.jitter(), config.maxRetryAfter());
        this.json = json;
        this.pendingRecords = new Batcher<>(
                "herald-delivery-ledger-committer",
                1,
                50_000,
                MAX_GROUP,
                pending -> 1,
                this::commitGroup,
                (group, failure) -> group.forEach(pending -> pending.done().completeExceptionally(failure)));
        this.firstAttempts =
                new MicroBatcher<>("herald-delivery-first-attempts", MAX_GROUP, 50_000, this::awaitingFirstAttempt);
    }

    @PreDestroy
    void stop() {
        firstAttempts.close();
        pendingRecords.close();
    }

    /** A delivery claimed for one attempt: how many attempts it had, and the event it carries. */
    public record Claim(String deliveryId, String subscriptionId, int attempts, EventSnapshot event) {}

    /**
     * Where an attempt left the delivery (null: a manual attempt that changed nothing but the record), and what must
     * follow the commit.
     */
    public record Recorded(
            DeliveryState state, boolean exhausted, boolean subscriptionDisabled, Instant nextAttemptAt) {}

    public enum Trigger {
        SCHEDULED,
        MANUAL
    }

    /**
     * Whether a delivery that arrived from its queue still awaits its first attempt (a read, no write: while the
     * attempt runs the delivery stays QUEUED, which the retry poller never touches; if this instance dies, the
     * unsettled message goes to another). Empty for a duplicate message of a delivery already attempted.
     */
    public CompletableFuture<Optional<Integer>> awaitingFirstAttempt(String deliveryId) {
        return firstAttempts.submit(deliveryId);
    }

    /** One statement for all deliveries that arrived from their queues about the same time. */
    private List<Optional<Integer>> awaitingFirstAttempt(List<String> deliveryIds) throws SQLException {
        Map<String, Integer> open;
        try (Connection connection = dataSource.getConnection()) {
            open = DeliveryRows.awaitingFirstAttempt(connection, deliveryIds);
        }
        return deliveryIds.stream().map(id -> Optional.ofNullable(open.get(id))).toList();
    }

    /** Claims due retries of active subscriptions, leasing each for {@code lease}. */
    public List<Claim> claimDue(int limit, Duration lease) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (DeliveryRows.DueRetry due : DeliveryRows.claimDueRetries(
                    connection, limit, Instant.now().plus(lease))) {
                event(connection, due.eventId())
                        .ifPresent(
                                event -> claims.add(new Claim(due.id(), due.subscriptionId(), due.attempts(), event)));
            }
        }
        return claims;
    }

    /** Gives claimed retries back before their lease ends (an instance stopping): due again now, for any instance. */
    public void releaseRetries(List<String> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            DeliveryRows.releaseRetries(connection, deliveryIds);
        }
    }

    /** The delivery with its event, for a manual retry; empty if unknown. */
    public Optional<Claim> find(String deliveryId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Optional<DeliveryRows.Row> row = DeliveryRows.find(connection, deliveryId);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            DeliveryRows.Row delivery = row.get();
            return event(connection, delivery.eventId())
                    .map(event -> new Claim(deliveryId, delivery.subscriptionId(), delivery.attempts(), event));
        }
    }

    /** A stored event as deliveries carry it; empty if unknown (or removed by retention). */
    public Optional<EventSnapshot> event(String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return event(connection, eventId);
        }
    }

    private Optional<EventSnapshot> event(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select " + EVENT_COLUMNS + " from events e where e.id = ? order by e.accepted_at desc limit 1")) {
            statement.setString(1, eventId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp time = rs.getTimestamp(7);
                String extensions = rs.getString(10);
                return Optional.of(new EventSnapshot(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        time == null ? null : time.toInstant().toString(),
                        rs.getString(8),
                        rs.getString(9),
                        extensions == null ? null : (ObjectNode) json.readTree(extensions)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Stored extensions are not JSON", e);
            }
        }
    }

    /**
     * Records an attempt and moves the delivery on: DELIVERED; EXHAUSTED after the last scheduled attempt or on a
     * permanent failure (which may also disable the subscription); otherwise RETRYING at the next scheduled time, or
     * when the destination asked within bounds. A manual attempt that fails changes nothing but the record.
     */
    public Recorded record(Claim claim, Outcome outcome, Trigger trigger, List<Duration> schedule) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Recorded recorded =
                        recordIn(connection, new PendingRecord(claim, outcome, trigger, schedule, null), now());
                int released = DeliveryState.releasesKey(recorded.state())
                        ? OrderedRows.finished(connection, List.of(claim.deliveryId()))
                        : 0;
                connection.commit();
                lines.released(released);
                return recorded;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * The same as {@link #record}, committed with other attempts recorded about the same time (group commit): one
     * transaction and one WAL flush for many deliveries, which is what lets one subscription, or fifty, take thousands of
     * deliveries a second. The future completes after the commit.
     */
    public CompletableFuture<Recorded> recordSoon(
            Claim claim, Outcome outcome, Trigger trigger, List<Duration> schedule) {
        PendingRecord pending = new PendingRecord(claim, outcome, trigger, schedule, new CompletableFuture<>());
        if (!pendingRecords.offer(pending)) {
            pending.done().completeExceptionally(new IllegalStateException("too many attempts waiting to be recorded"));
        }
        return pending.done();
    }

    private record PendingRecord(
            Claim claim, Outcome outcome, Trigger trigger, List<Duration> schedule, CompletableFuture<Recorded> done) {}

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void commitGroup(List<PendingRecord> group) {
        Instant now = now();
        List<Recorded> outcomes = new ArrayList<>();
        int released;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                recordDelivered(
                        connection,
                        group.stream().filter(p -> p.outcome().delivered()).toList(),
                        now);
                for (PendingRecord pending : group) {
                    outcomes.add(pending.outcome().delivered() ? DELIVERED : recordIn(connection, pending, now));
                }
                released = OrderedRows.finished(connection, leftLines(group, outcomes));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            // One bad record must not fail the others: record each on its own.
            for (PendingRecord pending : group) {
                try {
                    pending.done()
                            .complete(
                                    record(pending.claim(), pending.outcome(), pending.trigger(), pending.schedule()));
                } catch (SQLException | RuntimeException single) {
                    pending.done().completeExceptionally(single);
                }
            }
            return;
        }
        lines.released(released);
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(outcomes.get(i));
        }
    }

    /** Deliveries of the group that ended for good: they leave their ordered lines. */
    private static List<String> leftLines(List<PendingRecord> group, List<Recorded> outcomes) {
        return java.util.stream.IntStream.range(0, group.size())
                .filter(i -> DeliveryState.releasesKey(outcomes.get(i).state()))
                .mapToObj(i -> group.get(i).claim().deliveryId())
                .toList();
    }

    /**
     * Successful attempts of a group in set-based statements (each row bound as one array element), so a group of
     * hundreds costs three statements, not hundreds: attempts, delivery states, subscriptions back to healthy.
     */
    private void recordDelivered(Connection connection, List<PendingRecord> delivered, Instant now)
            throws SQLException {
        if (delivered.isEmpty()) {
            return;
        }
        try (PreparedStatement attempts = connection.prepareStatement("""
                insert into delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, outcome, response_excerpt, trigger)
                select delivery_id, attempted_at::timestamptz, duration_ms, status_code, 'SUCCEEDED', excerpt, trigger
                from unnest(?::text[], ?::text[], ?::int4[], ?::int4[], ?::text[], ?::text[])
                    as t(delivery_id, attempted_at, duration_ms, status_code, excerpt, trigger)""")) {
            SqlArrays.bindText(
                    connection, attempts, 1, delivered, p -> p.claim().deliveryId());
            SqlArrays.bindText(
                    connection,
                    attempts,
                    2,
                    delivered,
                    p -> p.outcome().attempt().at().toString());
            SqlArrays.bindInteger(
                    connection,
                    attempts,
                    3,
                    delivered,
                    p -> durationMs(p.outcome().attempt()));
            SqlArrays.bindInteger(
                    connection,
                    attempts,
                    4,
                    delivered,
                    p -> p.outcome().attempt().status());
            SqlArrays.bindText(
                    connection, attempts, 5, delivered, p -> excerpt(p.outcome().attempt()));
            SqlArrays.bindText(
                    connection, attempts, 6, delivered, p -> p.trigger().name());
            attempts.executeUpdate();
        }
        DeliveryRows.recordDelivered(
                connection,
                delivered.stream().map(p -> p.claim().deliveryId()).toList(),
                delivered.stream().map(p -> p.claim().attempts() + 1).toList(),
                now);
        failures.succeeded(
                connection,
                delivered.stream().map(p -> p.claim().subscriptionId()).toList());
    }

    /** Records one attempt inside the caller's transaction. */
    private Recorded recordIn(Connection connection, PendingRecord pending, Instant now) throws SQLException {
        Claim claim = pending.claim();
        Outcome outcome = pending.outcome();
        if (outcome instanceof Outcome.Skipped) {
            // Nothing was attempted: no attempt record, no effect on the subscription's health.
            DeliveryRows.recordOutcome(
                    connection, claim.deliveryId(), DeliveryState.SKIPPED, claim.attempts(), null, now);
            return new Recorded(DeliveryState.SKIPPED, false, false, null);
        }
        int attempts = claim.attempts() + 1;
        insertAttempt(connection, claim.deliveryId(), outcome, pending.trigger());
        if (outcome.delivered()) {
            DeliveryRows.recordOutcome(connection, claim.deliveryId(), DeliveryState.DELIVERED, attempts, null, now);
            failures.succeeded(connection, List.of(claim.subscriptionId()));
            return DELIVERED;
        }
        String disableReason = outcome instanceof Outcome.Permanent permanent ? permanent.disableReason() : null;
        boolean disabled = disableReason != null
                ? failures.disable(connection, claim.subscriptionId(), disableReason, now)
                : failures.failed(connection, claim.subscriptionId(), now);
        if (pending.trigger() == Trigger.MANUAL) {
            // Not rescheduled: the delivery keeps its state and its next scheduled time.
            DeliveryRows.countAttempt(connection, claim.deliveryId(), attempts);
            return new Recorded(null, false, disabled, null);
        }
        Duration delay = outcome instanceof Outcome.Retry retry
                ? retryPolicy.nextDelay(
                        pending.schedule(),
                        attempts,
                        retry.delay(),
                        ThreadLocalRandom.current().nextDouble())
                : null;
        if (delay == null) {
            DeliveryRows.recordOutcome(connection, claim.deliveryId(), DeliveryState.EXHAUSTED, attempts, null, now);
            failures.exhausted(connection, claim, outcome.attempt(), attempts, now);
            return new Recorded(DeliveryState.EXHAUSTED, true, disabled, null);
        }
        Instant next = now.plus(delay);
        DeliveryRows.recordOutcome(connection, claim.deliveryId(), DeliveryState.RETRYING, attempts, next, null);
        return new Recorded(DeliveryState.RETRYING, false, disabled, next);
    }

    private static void insertAttempt(Connection connection, String deliveryId, Outcome outcome, Trigger trigger)
            throws SQLException {
        AttemptResult result = outcome.attempt();
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, "
                        + "outcome, error_class, error, response_excerpt, trigger) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, deliveryId);
            statement.setTimestamp(2, Timestamp.from(result.at()));
            statement.setInt(3, durationMs(result));
            statement.setObject(4, result.status());
            statement.setString(5, outcome.delivered() ? "SUCCEEDED" : "FAILED");
            statement.setString(
                    6, result.errorClass() == null ? null : result.errorClass().name());
            statement.setString(7, result.error());
            statement.setString(8, excerpt(result));
            statement.setString(9, trigger.name());
            statement.executeUpdate();
        }
    }

    private static int durationMs(AttemptResult result) {
        return (int) Math.min(Integer.MAX_VALUE, result.durationMs());
    }

    private static String excerpt(AttemptResult result) {
        return result.responseExcerpt() == null
                ? null
                : result.responseExcerpt().replace("\u0000", "");
    }
}
