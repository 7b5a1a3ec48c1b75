package io.herald.store;

import static io.herald.store.DeliveryState.DELIVERED;
import static io.herald.store.DeliveryState.DISCARDED;
import static io.herald.store.DeliveryState.EXHAUSTED;
import static io.herald.store.DeliveryState.PENDING;
import static io.herald.store.DeliveryState.QUEUED;
import static io.herald.store.DeliveryState.RETRYING;

import io.herald.platform.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every statement on the {@code deliveries} table, each run in the caller's connection (and so in its transaction).
 * Retention's bulk delete is the one exception: it deletes old rows of every table the same way. Two generated flags
 * stand in for the state in conditions that must use an index ({@code pending}, {@code failed}; V12): no index reads
 * {@code state}, so that a delivery's state changes stay on its page.
 */
public final class DeliveryRows {
    private DeliveryRows() {}

    private static final String COLUMNS =
            "id, event_id, subscription_id, state, attempts, next_attempt_at, created_at, queued_at, finished_at, replay";

    /** A delivery as stored. */
    public record Row(
            String id,
            String eventId,
            String subscriptionId,
            DeliveryState state,
            int attempts,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant queuedAt,
            Instant finishedAt,
            boolean replay) {}

    /** A delivery to write: {@code leased} ones are handed to this instance's relay to send from memory. */
    public record NewRow(String id, String eventId, String subscriptionId, boolean leased) {}

    /** A stored event, as a delivery refers to it. */
    public record EventRef(String eventId, Instant acceptedAt) {}

    /** A retry claimed under a lease. */
    public record DueRetry(String id, String subscriptionId, int attempts, String eventId) {}

    // --- routing -------------------------------------------------------------------------------------------------

    private static final String INSERT_ROUTED = """
            insert into deliveries (id, event_id, event_accepted_at, subscription_id, state, created_at, relay_lease_until)
            select id, event_id, ?::timestamptz, subscription_id, %s, ?::timestamptz,
                   case when leased then now() + make_interval(secs => ?) end
            from unnest(?::text[], ?::text[], ?::text[], ?::bool[]) as t(id, event_id, subscription_id, leased)""".formatted(PENDING.sql());

    /** PENDING deliveries of events accepted at {@code acceptedAt}, in one statement. */
    public static void insertRouted(Connection connection, List<NewRow> rows, Instant acceptedAt, Duration lease)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ROUTED)) {
            statement.setString(1, acceptedAt.toString());
            statement.setString(2, acceptedAt.toString());
            statement.setDouble(3, lease == null ? 0 : lease.toMillis() / 1000.0);
            SqlArrays.bindText(connection, statement, 4, rows, NewRow::id);
            SqlArrays.bindText(connection, statement, 5, rows, NewRow::eventId);
            SqlArrays.bindText(connection, statement, 6, rows, NewRow::subscriptionId);
            statement.setArray(
                    7,
                    connection.createArrayOf(
                            "bool", rows.stream().map(NewRow::leased).toArray()));
            statement.executeUpdate();
        }
    }

    /** PENDING deliveries of stored events to one subscription, marked as replays. */
    public static void insertReplays(Connection connection, String subscriptionId, List<EventRef> events)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into deliveries (id, event_id, event_accepted_at, subscription_id, state, created_at, replay) "
                        + "values (?, ?, ?, ?, " + PENDING.sql() + ", now(), true)")) {
            for (EventRef event : events) {
                insert.setString(1, Ids.next("dlv"));
                insert.setString(2, event.eventId());
                insert.setTimestamp(3, Timestamp.from(event.acceptedAt()));
                insert.setString(4, subscriptionId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    // --- the outbox relay ----------------------------------------------------------------------------------------

    /**
     * Locks the oldest PENDING deliveries, except those of subscriptions not active (a list computed once per statement,
     * not a join, so that {@code deliveries_pending}'s order is the only plan: ADR 0014), then reads their events. The
     * batch size is written into the statement so that a cached plan knows it.
     */
    private static final String RELAY_CLAIM = """
            with claimed as (
                select d.id, d.event_id, d.event_accepted_at, d.subscription_id, d.replay, d.created_at
                from deliveries d
                where d.pending
                  and (d.relay_lease_until is null or d.relay_lease_until < now())
                  and d.subscription_id <> all(array(select id from subscriptions where state <> 'ACTIVE'))
                order by d.created_at
                limit %d
                for update skip locked)
            select c.id as delivery_id, c.event_id, c.replay, s.queue_name, e.topic, e.ce_id, e.source, e.type, e.subject, e.time,
                   e.data_content_type, e.data, e.schema_version, e.extensions, e.accepted_at
            from claimed c
            left join subscriptions s on s.id = c.subscription_id
            left join events e on e.id = c.event_id and e.accepted_at = c.event_accepted_at
            order by c.created_at""";

    /** The relay's claim of up to {@code batchSize} deliveries with their events and queues (null when gone). */
    public static PreparedStatement relayClaim(Connection connection, int batchSize) throws SQLException {
        return connection.prepareStatement(RELAY_CLAIM.formatted(batchSize));
    }

    /**
     * Only a PENDING delivery: a handed-off one may already have reached its webhook and have an outcome recorded. A
     * row the delivery ledger is recording just then is skipped, never waited for: its outcome is about to replace
     * PENDING anyway, and a relay that waited on the ledger's row locks while the ledger waited on its own would
     * deadlock (both lock several rows, in orders of their own). Written as {@code id = any(array(...))}, not
     * {@code id in (...)}: the join that form plans reads the whole table per mark once the statistics lag behind a
     * growing table (ADR 0014).
     */
    private static final String PENDING_NOT_LOCKED =
            "id = any(array(select id from deliveries where id = any(?::text[]) and pending for update skip locked))";

    /** Handed-off deliveries the broker took: QUEUED, if still PENDING. */
    public static void markQueued(Connection connection, List<String> ids) throws SQLException {
        update(
                connection,
                "update deliveries set state = " + QUEUED.sql() + ", queued_at = now() where " + PENDING_NOT_LOCKED,
                ids);
    }

    /** Deliveries of the relay's claim the broker took (the claim holds their locks). */
    public static void markClaimedQueued(Connection connection, List<String> ids) throws SQLException {
        update(
                connection,
                "update deliveries set state = " + QUEUED.sql() + ", queued_at = now() where id = any(?::text[])",
                ids);
    }

    /** Hand-off leases given back, while the deliveries are still PENDING: the outbox poll takes them at once. */
    public static void releaseRelayLeases(Connection connection, List<String> ids) throws SQLException {
        update(connection, "update deliveries set relay_lease_until = null where " + PENDING_NOT_LOCKED, ids);
    }

    /** DISCARDED: their subscription or event no longer exists. */
    public static void discard(Connection connection, List<String> ids) throws SQLException {
        update(
                connection,
                "update deliveries set state = " + DISCARDED.sql() + ", finished_at = now() where id = any(?::text[])",
                ids);
    }

    // --- a subscription's backlog ---------------------------------------------------------------------------------

    /** Deliveries a subscription still owes through the outbox. */
    public static long countPending(Connection connection, String subscriptionId) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("select count(*) from deliveries where subscription_id = ? and pending")) {
            statement.setString(1, subscriptionId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A deleted subscription's PENDING deliveries, recorded DISCARDED. */
    public static void discardPendingOf(Connection connection, String subscriptionId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("update deliveries set state = "
                + DISCARDED.sql() + ", finished_at = now() where subscription_id = ? and pending")) {
            statement.setString(1, subscriptionId);
            statement.executeUpdate();
        }
    }

    /**
     * A column of a statement on {@code subscriptions s}: how many deliveries a subscription Herald delivers still owes
     * (in the outbox or waiting for a retry).
     */
    public static final String OWED_BY_DELIVERED_SUBSCRIPTION = "(select count(*) from deliveries d where "
            + "d.subscription_id = s.id and (d.pending or d.next_attempt_at is not null) and s.kind <> 'QUEUE')";

    // --- attempts ------------------------------------------------------------------------------------------------

    /** Of these deliveries, those still waiting for their first attempt, with their attempts so far. */
    public static Map<String, Integer> awaitingFirstAttempt(Connection connection, List<String> ids)
            throws SQLException {
        Map<String, Integer> open = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("select id, attempts from deliveries where id = "
                + "any(?::text[]) and state in (" + PENDING.sql() + ", " + QUEUED.sql() + ")")) {
            SqlArrays.bindText(connection, statement, 1, ids, id -> id);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    open.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return open;
    }

    /** Claims due retries of active subscriptions, each leased until {@code leaseUntil}. */
    public static List<DueRetry> claimDueRetries(Connection connection, int limit, Instant leaseUntil)
            throws SQLException {
        String sql = """
                with due as (
                    select d.id from deliveries d join subscriptions s on s.id = d.subscription_id
                    where d.state = %s and d.next_attempt_at <= now() and s.state = 'ACTIVE'
                    order by d.next_attempt_at limit ? for update of d skip locked)
                update deliveries d set next_attempt_at = ? from due where d.id = due.id
                returning d.id, d.subscription_id, d.attempts, d.event_id""".formatted(RETRYING.sql());
        List<DueRetry> claimed = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            statement.setTimestamp(2, Timestamp.from(leaseUntil));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new DueRetry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
        }
        return claimed;
    }

    /** Claimed retries given back before their lease ends: due again now, for any instance. */
    public static void releaseRetries(Connection connection, List<String> ids) throws SQLException {
        update(
                connection,
                "update deliveries set next_attempt_at = now() where id = any(?::text[]) and state = " + RETRYING.sql(),
                ids);
    }

    /** Deliveries whose attempt succeeded, in one statement: DELIVERED with their new attempt counts. */
    public static void recordDelivered(Connection connection, List<String> ids, List<Integer> attempts, Instant now)
            throws SQLException {
        try (PreparedStatement states = connection.prepareStatement("update deliveries d set attempts = t.attempts, "
                + "state = " + DELIVERED.sql() + ", next_attempt_at = null, finished_at = ?::timestamptz "
                + "from unnest(?::text[], ?::int4[]) as t(id, attempts) where d.id = t.id")) {
            states.setString(1, now.toString());
            SqlArrays.bindText(connection, states, 2, ids, id -> id);
            SqlArrays.bindInteger(connection, states, 3, attempts, count -> count);
            states.executeUpdate();
        }
    }

    /** An attempt's outcome: the new state, the attempts so far, when the next is due, when it finished. */
    public static void recordOutcome(
            Connection connection, String id, DeliveryState state, int attempts, Instant next, Instant finished)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "update deliveries set attempts = ?, state = ?, next_attempt_at = ?, finished_at = ? where id = ?")) {
            statement.setInt(1, attempts);
            statement.setString(2, state.name());
            statement.setTimestamp(3, next == null ? null : Timestamp.from(next));
            statement.setTimestamp(4, finished == null ? null : Timestamp.from(finished));
            statement.setString(5, id);
            statement.executeUpdate();
        }
    }

    /** A manual attempt that failed: counted, the state and schedule left as they are. */
    public static void countAttempt(Connection connection, String id, int attempts) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("update deliveries set attempts = ? where id = ?")) {
            statement.setInt(1, attempts);
            statement.setString(2, id);
            statement.executeUpdate();
        }
    }

    // --- reads and the operator's actions -------------------------------------------------------------------------

    public static Optional<Row> find(Connection connection, String id) throws SQLException {
        return read(connection, "select " + COLUMNS + " from deliveries where id = ?", List.of(id)).stream()
                .findFirst();
    }

    /** The deliveries an event is owed, in creation order. */
    public static List<Row> ofEvent(Connection connection, String eventId) throws SQLException {
        return read(
                connection, "select " + COLUMNS + " from deliveries where event_id = ? order by id", List.of(eventId));
    }

    /**
     * A subscription's deliveries, newest first, after the cursor. A rare state is found through its own index (the
     * flags); queued and delivered deliveries are the newest and the most, found walking deliveries_subscription.
     */
    public static List<Row> ofSubscription(
            Connection connection, String subscriptionId, DeliveryState state, String after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from deliveries where subscription_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(subscriptionId));
        if (state != null) {
            sql.append(" and state = ?")
                    .append(
                            switch (state) {
                                case PENDING -> " and pending";
                                case RETRYING -> " and next_attempt_at is not null";
                                case EXHAUSTED, DISCARDED -> " and failed";
                                case QUEUED, DELIVERED, SKIPPED, WAITING -> "";
                            });
            parameters.add(state.name());
        }
        if (after != null) {
            sql.append(" and id < ?");
            parameters.add(after);
        }
        sql.append(" order by id desc limit ").append(limit);
        return read(connection, sql.toString(), parameters);
    }

    /** DISCARDED with no further attempt, unless it was delivered; false when it was. */
    public static boolean discardUndelivered(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("update deliveries set state = "
                + DISCARDED.sql() + ", next_attempt_at = null, finished_at = now() where id = ? and state <> "
                + DELIVERED.sql())) {
            statement.setString(1, id);
            return statement.executeUpdate() > 0;
        }
    }

    /** Exhausted deliveries of a subscription (the listed ones, or all when none are) back to RETRYING from the start. */
    public static int redrive(Connection connection, String subscriptionId, List<String> ids) throws SQLException {
        String sql = "update deliveries set state = " + RETRYING.sql() + ", attempts = 0, next_attempt_at = now(), "
                + "finished_at = null where subscription_id = ? and failed and state = " + EXHAUSTED.sql();
        boolean listed = ids != null && !ids.isEmpty();
        try (PreparedStatement statement = connection.prepareStatement(listed ? sql + " and id = any(?)" : sql)) {
            statement.setString(1, subscriptionId);
            if (listed) {
                statement.setArray(2, connection.createArrayOf("text", ids.toArray()));
            }
            return statement.executeUpdate();
        }
    }

    // -----------------------------------------------------------------------------------------------------------

    private static List<Row> read(Connection connection, String sql, List<Object> parameters) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            DeliveryState.valueOf(rs.getString(4)),
                            rs.getInt(5),
                            instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)),
                            instant(rs.getTimestamp(9)),
                            rs.getBoolean(10)));
                }
            }
        }
        return rows;
    }

    private static void update(Connection connection, String sql, List<String> ids) throws SQLException {
        if (!ids.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                SqlArrays.bindText(connection, statement, 1, ids, id -> id);
                statement.executeUpdate();
            }
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
