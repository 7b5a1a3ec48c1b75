package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.herald.platform.Batcher;
import io.herald.platform.Ids;
import io.herald.platform.MicroBatcher;
import io.herald.routing.Router;
import io.herald.store.EventRows;
import io.herald.store.NewEvent;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The recorded life of webhook deliveries in PostgreSQL: claiming due retries (with a lease, so a crashed instance's
 * retry is taken over by another), and recording each attempt with the state it leads to, in one
 * transaction with the subscription's health and any operational event it causes.
 */
@Singleton
public class DeliveryLedger {
    public static final String EXHAUSTED_TOPIC = "herald.delivery.exhausted";
    public static final String DISABLED_TOPIC = "herald.subscription.disabled";
    private static final String EVENT_COLUMNS =
            "e.id, e.topic, e.ce_id, e.source, e.type, e.subject, e.time, e.data_content_type, e.data, e.extensions";

    private final AgroalDataSource dataSource;
    private final Router router;
    private final DeliveryConfig config;
    private final ObjectMapper json;
    private static final int MAX_GROUP = 500;
    private static final Recorded DELIVERED = new Recorded("DELIVERED", false, false, null);
    /** One thread commits groups (one writer, so groups never wait on each other's subscription rows). */
    private final Batcher<PendingRecord> pendingRecords;

    private final MicroBatcher<String, Optional<Integer>> firstAttempts;

    DeliveryLedger(AgroalDataSource dataSource, Router router, DeliveryConfig config, ObjectMapper json) {
        this.dataSource = dataSource;
        this.router = router;
        this.config = config;
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

    /** Where an attempt left the delivery, and what must follow the commit. */
    public record Recorded(String state, boolean exhausted, boolean subscriptionDisabled, Instant nextAttemptAt) {}

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
        java.util.Map<String, Integer> open = new java.util.HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select id, attempts from deliveries where id = any(?::text[]) and state in ('PENDING', 'QUEUED')")) {
            SqlArrays.bindText(connection, statement, 1, deliveryIds, id -> id);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    open.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return deliveryIds.stream().map(id -> Optional.ofNullable(open.get(id))).toList();
    }

    /** Claims due retries of active webhook subscriptions, leasing each for {@code lease}. */
    public List<Claim> claimDue(int limit, Duration lease) throws SQLException {
        String sql = """
                with due as (
                    select d.id from deliveries d join subscriptions s on s.id = d.subscription_id
                    where d.state = 'RETRYING' and d.next_attempt_at <= now() and s.state = 'ACTIVE' and s.kind = 'WEBHOOK'
                    order by d.next_attempt_at limit ? for update of d skip locked)
                update deliveries d set next_attempt_at = ? from due where d.id = due.id
                returning d.id, d.subscription_id, d.attempts, d.event_id, d.event_accepted_at""";
        List<Claim> claims = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setInt(1, limit);
                statement.setTimestamp(2, Timestamp.from(Instant.now().plus(lease)));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new String[] {
                            rs.getString(1), rs.getString(2), Integer.toString(rs.getInt(3)), rs.getString(4)
                        });
                    }
                }
            }
            for (String[] row : rows) {
                event(connection, row[3])
                        .ifPresent(event -> claims.add(new Claim(row[0], row[1], Integer.parseInt(row[2]), event)));
            }
        }
        return claims;
    }

    /** Gives claimed retries back before their lease ends (an instance stopping): due again now, for any instance. */
    public void releaseRetries(List<String> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "update deliveries set next_attempt_at = now() where id = any(?::text[]) and state = 'RETRYING'")) {
            SqlArrays.bindText(connection, statement, 1, deliveryIds, id -> id);
            statement.executeUpdate();
        }
    }

    /** The delivery with its event, for a manual retry; empty if unknown. */
    public Optional<Claim> find(String deliveryId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select subscription_id, attempts, event_id from deliveries where id = ?")) {
            statement.setString(1, deliveryId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String subscription = rs.getString(1);
                int attempts = rs.getInt(2);
                return event(connection, rs.getString(3))
                        .map(event -> new Claim(deliveryId, subscription, attempts, event));
            }
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
     * Records an attempt and moves the delivery on: DELIVERED on 2xx; EXHAUSTED after the last scheduled attempt or on
     * 410 (which also disables the subscription); otherwise RETRYING at the next scheduled time, or at the receiver's
     * Retry-After within bounds. A manual attempt that fails changes nothing but the record.
     */
    public Recorded record(Claim claim, Target target, AttemptResult result, Trigger trigger) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Recorded recorded = recordIn(
                        connection,
                        claim,
                        target,
                        result,
                        trigger,
                        Instant.now().truncatedTo(ChronoUnit.MICROS));
                connection.commit();
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
    public CompletableFuture<Recorded> recordSoon(Claim claim, Target target, AttemptResult result, Trigger trigger) {
        PendingRecord pending = new PendingRecord(claim, target, result, trigger, new CompletableFuture<>());
        if (!pendingRecords.offer(pending)) {
            pending.done().completeExceptionally(new IllegalStateException("too many attempts waiting to be recorded"));
        }
        return pending.done();
    }

    private record PendingRecord(
            Claim claim, Target target, AttemptResult result, Trigger trigger, CompletableFuture<Recorded> done) {}

    private void commitGroup(List<PendingRecord> group) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Recorded> outcomes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<PendingRecord> delivered =
                        group.stream().filter(p -> p.result().succeeded()).toList();
                recordDelivered(connection, delivered, now);
                for (PendingRecord pending : group) {
                    outcomes.add(
                            pending.result().succeeded()
                                    ? DELIVERED
                                    : recordIn(
                                            connection,
                                            pending.claim(),
                                            pending.target(),
                                            pending.result(),
                                            pending.trigger(),
                                            now));
                }
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
                            .complete(record(pending.claim(), pending.target(), pending.result(), pending.trigger()));
                } catch (SQLException | RuntimeException single) {
                    pending.done().completeExceptionally(single);
                }
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(outcomes.get(i));
        }
    }

    /**
     * Successful attempts of a group in three set-based statements (each row bound as one array element), so a group of
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
                    connection, attempts, 2, delivered, p -> p.result().at().toString());
            SqlArrays.bindInteger(connection, attempts, 3, delivered, p ->
                    (int) Math.min(Integer.MAX_VALUE, p.result().durationMs()));
            SqlArrays.bindInteger(
                    connection, attempts, 4, delivered, p -> p.result().status());
            SqlArrays.bindText(connection, attempts, 5, delivered, p -> excerpt(p.result()));
            SqlArrays.bindText(
                    connection, attempts, 6, delivered, p -> p.trigger().name());
            attempts.executeUpdate();
        }
        try (PreparedStatement states = connection.prepareStatement("""
                update deliveries d set attempts = t.attempts, state = 'DELIVERED', next_attempt_at = null, finished_at = ?::timestamptz
                from unnest(?::text[], ?::int4[]) as t(id, attempts) where d.id = t.id""")) {
            states.setString(1, now.toString());
            SqlArrays.bindText(connection, states, 2, delivered, p -> p.claim().deliveryId());
            SqlArrays.bindInteger(
                    connection, states, 3, delivered, p -> p.claim().attempts() + 1);
            states.executeUpdate();
        }
        List<String> subscriptions = delivered.stream()
                .map(p -> p.target().subscriptionId())
                .distinct()
                .sorted()
                .toList();
        try (PreparedStatement healthy =
                connection.prepareStatement("update subscriptions set consecutive_failures = 0, "
                        + "failing_since = null where id = any(?::text[]) and consecutive_failures > 0")) {
            SqlArrays.bindText(connection, healthy, 1, subscriptions, id -> id);
            healthy.executeUpdate();
        }
    }

    private static String excerpt(AttemptResult result) {
        return result.responseExcerpt() == null
                ? null
                : result.responseExcerpt().replace("\u0000", "");
    }

    /** Records one attempt inside the caller's transaction. */
    private Recorded recordIn(
            Connection connection, Claim claim, Target target, AttemptResult result, Trigger trigger, Instant now)
            throws SQLException {
        int attempts = claim.attempts() + 1;
        insertAttempt(connection, claim.deliveryId(), result, trigger);
        Recorded recorded;
        boolean disabled;
        if (result.succeeded()) {
            recorded = DELIVERED;
            update(connection, claim.deliveryId(), "DELIVERED", attempts, null, now, null);
            health(connection, target.subscriptionId(), true, now);
        } else {
            disabled = result.gone()
                    ? disable(connection, target.subscriptionId(), "the receiver answered 410 Gone", now)
                    : health(connection, target.subscriptionId(), false, now);
            if (trigger == Trigger.MANUAL) {
                // Not rescheduled: the delivery keeps its state and its next scheduled time.
                update(connection, claim.deliveryId(), null, attempts, null, null, "keep");
                recorded = new Recorded("UNCHANGED", false, disabled, null);
            } else if (result.gone() || attempts >= target.retrySchedule().size()) {
                update(connection, claim.deliveryId(), "EXHAUSTED", attempts, null, now, null);
                publish(
                        connection,
                        EXHAUSTED_TOPIC,
                        target.subscriptionId(),
                        exhaustedEvent(claim, target, result, attempts),
                        now);
                recorded = new Recorded("EXHAUSTED", true, disabled, null);
            } else {
                Instant next = now.plus(nextDelay(target.retrySchedule().get(attempts), result.retryAfter()));
                update(connection, claim.deliveryId(), "RETRYING", attempts, next, null, null);
                recorded = new Recorded("RETRYING", false, disabled, next);
            }
        }
        return recorded;
    }

    /** The scheduled delay with jitter, or the receiver's Retry-After when it gave one (capped). */
    Duration nextDelay(Duration scheduled, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : retryAfter;
        }
        double spread = config.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(scheduled.toMillis() * (1 + spread))));
    }

    private static final String INSERT_ATTEMPT =
            "insert into delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, "
                    + "outcome, error_class, error, response_excerpt, trigger) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void insertAttempt(Connection connection, String deliveryId, AttemptResult result, Trigger trigger)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ATTEMPT)) {
            bindAttempt(statement, deliveryId, result, trigger);
            statement.executeUpdate();
        }
    }

    private static void bindAttempt(
            PreparedStatement statement, String deliveryId, AttemptResult result, Trigger trigger) throws SQLException {
        statement.setString(1, deliveryId);
        statement.setTimestamp(2, Timestamp.from(result.at()));
        statement.setInt(3, (int) Math.min(Integer.MAX_VALUE, result.durationMs()));
        statement.setObject(4, result.status());
        statement.setString(5, result.succeeded() ? "SUCCEEDED" : "FAILED");
        statement.setString(
                6, result.errorClass() == null ? null : result.errorClass().name());
        statement.setString(7, result.error());
        statement.setString(8, excerpt(result));
        statement.setString(9, trigger.name());
    }

    /** {@code keep} leaves state and next attempt as they are and only counts the attempt. */
    private static void update(
            Connection connection,
            String deliveryId,
            String state,
            int attempts,
            Instant next,
            Instant finished,
            String keep)
            throws SQLException {
        String sql = keep != null
                ? "update deliveries set attempts = ? where id = ?"
                : "update deliveries set attempts = ?, state = ?, next_attempt_at = ?, finished_at = ? where id = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, attempts);
            if (keep != null) {
                statement.setString(2, deliveryId);
            } else {
                statement.setString(2, state);
                statement.setTimestamp(3, next == null ? null : Timestamp.from(next));
                statement.setTimestamp(4, finished == null ? null : Timestamp.from(finished));
                statement.setString(5, deliveryId);
            }
            statement.executeUpdate();
        }
    }

    /** Counts a success or failure; disables the subscription when it has failed for too many attempts and too long. */
    private boolean health(Connection connection, String subscriptionId, boolean success, Instant now)
            throws SQLException {
        if (success) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "update subscriptions set consecutive_failures = 0, failing_since = null where id = ? and consecutive_failures > 0")) {
                statement.setString(1, subscriptionId);
                statement.executeUpdate();
            }
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "update subscriptions set consecutive_failures = consecutive_failures + 1, "
                        + "failing_since = coalesce(failing_since, ?) where id = ? returning consecutive_failures, failing_since")) {
            statement.setTimestamp(1, Timestamp.from(now));
            statement.setString(2, subscriptionId);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()
                        && rs.getInt(1) >= config.disableAfterFailures()
                        && !rs.getTimestamp(2)
                                .toInstant()
                                .plus(config.disableAfterFailingFor())
                                .isAfter(now)) {
                    return disable(
                            connection,
                            subscriptionId,
                            rs.getInt(1) + " failed attempts in a row since "
                                    + rs.getTimestamp(2).toInstant(),
                            now);
                }
            }
        }
        return false;
    }

    private boolean disable(Connection connection, String subscriptionId, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "update subscriptions set state = 'DISABLED', disabled_reason = ?, updated_at = ?, version = version + 1 "
                        + "where id = ? and state <> 'DISABLED'")) {
            statement.setString(1, reason);
            statement.setTimestamp(2, Timestamp.from(now));
            statement.setString(3, subscriptionId);
            if (statement.executeUpdate() == 0) {
                return false;
            }
        }
        ObjectNode data = json.createObjectNode()
                .put("subscriptionId", subscriptionId)
                .put("reason", reason)
                .put("disabledAt", now.toString());
        publish(connection, DISABLED_TOPIC, subscriptionId, data, now);
        return true;
    }

    private ObjectNode exhaustedEvent(Claim claim, Target target, AttemptResult last, int attempts) {
        ObjectNode data = json.createObjectNode()
                .put("deliveryId", claim.deliveryId())
                .put("subscriptionId", target.subscriptionId())
                .put("eventId", claim.event().eventId())
                .put("eventTopic", claim.event().topic())
                .put("eventType", claim.event().type())
                .put("attempts", attempts);
        if (last.status() != null) {
            data.put("lastStatus", last.status());
        }
        if (last.error() != null) {
            data.put("lastError", last.error());
        }
        return data;
    }

    /** Stores an operational event in this same transaction and routes it to its topic's subscribers. */
    private void publish(Connection connection, String topic, String subject, JsonNode data, Instant now)
            throws SQLException {
        String id = Ids.next("evt");
        String text = data.toString();
        NewEvent event = new NewEvent(
                id, topic, id, "/herald", topic, subject, null, "application/json", text, data, null, null, "");
        EventRows.insert(connection, List.of(event), now);
        router.route(connection, List.of(event), now);
    }
}
