package io.herald.store;

import static io.herald.store.DeliveryState.RETRYING;
import static io.herald.store.DeliveryState.WAITING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of ordered subscriptions (V19): every statement on {@code ordered_deliveries}, on the caller's connection
 * so they stay in its transaction. A key's line is guarded by a transaction-scoped advisory lock on (subscription,
 * key), taken in one order (the lock's number) by every transaction that takes several, so that joining a line,
 * admitting its head and releasing the next one never interleave.
 */
public final class OrderedRows {
    /** The advisory lock of each distinct (subscription, key) of the arrays, in the lock's order. */
    private static final String LOCK_KEYS = """
            select count(pg_advisory_xact_lock(lock)) from (
                select distinct hashtextextended(s || '/' || k, 0) as lock
                from unnest(?::text[], ?::text[]) as t(s, k) order by 1) locks""";

    /**
     * A column expression for the dashboard's backlog (in a statement over {@code subscriptions s}): an ordered
     * subscription's deliveries waiting in lines, which are neither in the outbox nor in the queue.
     */
    public static final String WAITING_OF_SUBSCRIPTION = "(case when s.ordered then (select count(*) from "
            + "ordered_deliveries o join deliveries w on w.id = o.delivery_id where o.subscription_id = s.id and "
            + "w.state = " + WAITING.sql() + ") else 0 end)";

    private OrderedRows() {}

    /** A delivery joining its key's line. */
    public record NewRow(String deliveryId, String subscriptionId, String key) {}

    /**
     * Where an arriving delivery stands: not ordered, the head of its line (now taken for its attempt), already taken
     * (a duplicate message of a head being attempted), or waiting behind earlier ones.
     */
    public enum Admission {
        UNORDERED,
        HEAD,
        TAKEN,
        WAITING
    }

    /** How long a lane's attempt of a head may take before the sweep gives the head to the retry pollers. */
    private static final String TAKEN_FOR = "interval '2 minutes'";

    /** Puts deliveries at the end of their lines, in the order given (the routing transaction's). */
    public static void insert(Connection connection, List<NewRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        lock(
                connection,
                rows.stream().map(NewRow::subscriptionId).toList(),
                rows.stream().map(NewRow::key).toList());
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into ordered_deliveries (delivery_id, subscription_id, ordering_key, seq)
                select d, s, k, nextval('ordered_deliveries_seq')
                from unnest(?::text[], ?::text[], ?::text[]) with ordinality as t(d, s, k, n) order by n""")) {
            SqlArrays.bindText(connection, statement, 1, rows, NewRow::deliveryId);
            SqlArrays.bindText(connection, statement, 2, rows, NewRow::subscriptionId);
            SqlArrays.bindText(connection, statement, 3, rows, NewRow::key);
            statement.executeUpdate();
        }
    }

    /**
     * An arriving delivery: the head of its line may be attempted; one behind an earlier delivery is set WAITING (its
     * queue message can be settled: the line releases it). Run in a transaction of its own.
     */
    public static Admission admit(Connection connection, String deliveryId) throws SQLException {
        String subscriptionId;
        String key;
        try (PreparedStatement find = connection.prepareStatement(
                "select subscription_id, ordering_key from ordered_deliveries where delivery_id = ?")) {
            find.setString(1, deliveryId);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Admission.UNORDERED;
                }
                subscriptionId = rs.getString(1);
                key = rs.getString(2);
            }
        }
        lock(connection, List.of(subscriptionId), List.of(key));
        try (PreparedStatement head = connection.prepareStatement("""
                select delivery_id from ordered_deliveries where subscription_id = ? and ordering_key = ?
                order by seq limit 1""")) {
            head.setString(1, subscriptionId);
            head.setString(2, key);
            try (ResultSet rs = head.executeQuery()) {
                if (rs.next() && rs.getString(1).equals(deliveryId)) {
                    return take(connection, deliveryId) ? Admission.HEAD : Admission.TAKEN;
                }
            }
        }
        try (PreparedStatement wait = connection.prepareStatement("update deliveries set state = " + WAITING.sql()
                + " where id = ? and state in ('PENDING', 'QUEUED')")) {
            wait.setString(1, deliveryId);
            wait.executeUpdate();
        }
        return Admission.WAITING;
    }

    private static boolean take(Connection connection, String deliveryId) throws SQLException {
        try (PreparedStatement take = connection.prepareStatement("update ordered_deliveries set taken_until = now() + "
                + TAKEN_FOR + " where delivery_id = ? and (taken_until is null or taken_until < now())")) {
            take.setString(1, deliveryId);
            return take.executeUpdate() == 1;
        }
    }

    /**
     * Deliveries that left their lines for good (delivered, skipped, discarded): their rows go, and each line's new head,
     * if it is waiting, is made due now for the retry pollers. Returns how many were released.
     */
    public static int finished(Connection connection, List<String> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return 0;
        }
        List<String> subscriptions = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from ordered_deliveries where delivery_id = any(?::text[]) returning subscription_id, ordering_key")) {
            SqlArrays.bindText(connection, delete, 1, deliveryIds, id -> id);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    subscriptions.add(rs.getString(1));
                    keys.add(rs.getString(2));
                }
            }
        }
        if (subscriptions.isEmpty()) {
            return 0;
        }
        lock(connection, subscriptions, keys);
        return releaseHeads(connection, subscriptions, keys);
    }

    /**
     * Mends lines a crash or an unhooked path left stuck: a head whose delivery is gone or final leaves the line; a
     * waiting head is released, and so is a head a lane took whose attempt was never recorded in time (its instance
     * died; the queue message went to a duplicate admission). Returns how many deliveries were released.
     */
    public static int sweep(Connection connection, int limit) throws SQLException {
        List<String> subscriptions = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        try (PreparedStatement heads = connection.prepareStatement("""
                select h.subscription_id, h.ordering_key, h.delivery_id, d.state
                from (select distinct on (subscription_id, ordering_key) subscription_id, ordering_key, delivery_id,
                             taken_until
                      from ordered_deliveries order by subscription_id, ordering_key, seq) h
                left join deliveries d on d.id = h.delivery_id
                where d.id is null or d.state in ('WAITING', 'DELIVERED', 'DISCARDED', 'SKIPPED')
                   or (d.state in ('PENDING', 'QUEUED') and h.taken_until < now())
                limit ?""")) {
            heads.setInt(1, limit);
            try (ResultSet rs = heads.executeQuery()) {
                while (rs.next()) {
                    subscriptions.add(rs.getString(1));
                    keys.add(rs.getString(2));
                    String state = rs.getString(4);
                    if (state == null || DeliveryState.releasesKey(DeliveryState.valueOf(state))) {
                        leaving.add(rs.getString(3));
                    }
                }
            }
        }
        if (subscriptions.isEmpty()) {
            return 0;
        }
        lock(connection, subscriptions, keys);
        if (!leaving.isEmpty()) {
            try (PreparedStatement delete =
                    connection.prepareStatement("delete from ordered_deliveries where delivery_id = any(?::text[])")) {
                SqlArrays.bindText(connection, delete, 1, leaving, id -> id);
                delete.executeUpdate();
            }
        }
        return releaseHeads(connection, subscriptions, keys);
    }

    /** A deleted subscription's lines: nothing of it is delivered any more. */
    public static void forget(Connection connection, String subscriptionId) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("delete from ordered_deliveries where subscription_id = ?")) {
            delete.setString(1, subscriptionId);
            delete.executeUpdate();
        }
    }

    private static int releaseHeads(Connection connection, List<String> subscriptions, List<String> keys)
            throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("""
                update deliveries d set state = %s, next_attempt_at = now()
                from (select distinct on (o.subscription_id, o.ordering_key) o.delivery_id, o.taken_until
                      from ordered_deliveries o
                      join (select distinct s, k from unnest(?::text[], ?::text[]) as t(s, k)) l
                        on o.subscription_id = l.s and o.ordering_key = l.k
                      order by o.subscription_id, o.ordering_key, o.seq) h
                where d.id = h.delivery_id
                  and (d.state = %s or (d.state in ('PENDING', 'QUEUED') and h.taken_until < now()))""".formatted(RETRYING.sql(), WAITING.sql()))) {
            SqlArrays.bindText(connection, release, 1, subscriptions, s -> s);
            SqlArrays.bindText(connection, release, 2, keys, k -> k);
            return release.executeUpdate();
        }
    }

    private static void lock(Connection connection, List<String> subscriptions, List<String> keys) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_KEYS)) {
            SqlArrays.bindText(connection, lock, 1, subscriptions, s -> s);
            SqlArrays.bindText(connection, lock, 2, keys, k -> k);
            lock.executeQuery().close();
        }
    }
}
