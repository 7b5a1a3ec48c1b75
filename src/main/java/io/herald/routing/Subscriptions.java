package io.herald.routing;

import io.herald.platform.Database;
import io.herald.store.DeliveryRows;
import io.herald.store.OrderedRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The subscriptions table, as the API and console change it. The delivery ledger keeps the health columns
 * (consecutive failures, failing since, disabled) up to date with statements of its own, so an update here writes
 * them only when an operator re-enables the subscription.
 */
@ApplicationScoped
public class Subscriptions {
    private static final String COLUMNS =
            "id, name, topic_pattern, kind, state, queue_name, filter, webhook_url, webhook_secret, "
                    + "webhook_headers, webhook_timeout_ms, webhook_previous_secret, webhook_previous_secret_expires, webhook_format, "
                    + "retry_schedule, max_in_flight, max_per_second, consecutive_failures, failing_since, disabled_reason, created_at, "
                    + "updated_at, destination, transformation, webhook_auth, webhook_credentials, ordered, ordering_key, version";
    private static final String SETTINGS =
            "name = ?, state = ?, filter = ?, webhook_url = ?, webhook_headers = ?, webhook_timeout_ms = ?, "
                    + "webhook_format = ?, retry_schedule = ?, max_in_flight = ?, max_per_second = ?, updated_at = ?, "
                    + "destination = ?::jsonb, transformation = ?, webhook_auth = ?::jsonb, webhook_credentials = ?, ordered = ?, "
                    + "ordering_key = ?";

    private final Database db;

    Subscriptions(Database db) {
        this.db = db;
    }

    public Subscription find(String id) {
        return id == null
                ? null
                : db.one("select " + COLUMNS + " from subscriptions where id = ?", Subscriptions::row, id);
    }

    /** Active subscriptions Herald delivers (every kind but queues), for the lanes. */
    public List<Subscription> activeDelivered() {
        return db.list(
                "select " + COLUMNS + " from subscriptions where state = 'ACTIVE' and kind <> 'QUEUE'",
                Subscriptions::row);
    }

    /** A page in id order, after {@code after} (null: from the first). */
    List<Subscription> page(String after, int size) {
        return after == null
                ? db.list("select " + COLUMNS + " from subscriptions order by id limit ?", Subscriptions::row, size)
                : db.list(
                        "select " + COLUMNS + " from subscriptions where id > ? order by id limit ?",
                        Subscriptions::row,
                        after,
                        size);
    }

    void insert(Subscription s) {
        db.update(
                "insert into subscriptions (" + COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, 0)",
                s.id,
                s.name,
                s.topicPattern,
                s.kind,
                s.state,
                s.queueName,
                s.filter,
                s.webhookUrl,
                s.webhookSecret,
                s.webhookHeaders,
                s.webhookTimeoutMs,
                s.webhookPreviousSecret,
                s.webhookPreviousSecretExpires,
                s.webhookFormat,
                s.retrySchedule,
                s.maxInFlight,
                s.maxPerSecond,
                s.consecutiveFailures,
                s.failingSince,
                s.disabledReason,
                s.createdAt,
                s.updatedAt,
                s.destination,
                s.transformation,
                s.webhookAuth,
                s.webhookCredentials,
                s.ordered,
                s.orderingKey);
        s.version = 0;
    }

    /** Writes the operator's settings (and, with {@code resetHealth}, clears the failure count and disabled reason). */
    void update(Subscription s, boolean resetHealth) {
        db.updateVersioned(
                "update subscriptions set " + SETTINGS
                        + (resetHealth
                                ? ", consecutive_failures = 0, failing_since = null, disabled_reason = null"
                                : "")
                        + ", version = version + 1 where id = ? and version = ?",
                s.name,
                s.state,
                s.filter,
                s.webhookUrl,
                s.webhookHeaders,
                s.webhookTimeoutMs,
                s.webhookFormat,
                s.retrySchedule,
                s.maxInFlight,
                s.maxPerSecond,
                s.updatedAt,
                s.destination,
                s.transformation,
                s.webhookAuth,
                s.webhookCredentials,
                s.ordered,
                s.orderingKey,
                s.id,
                s.version);
        s.version++;
    }

    /** Writes a new signing secret with the previous one and when it stops being sent. */
    public void updateSecrets(Subscription s) {
        db.updateVersioned(
                "update subscriptions set webhook_secret = ?, webhook_previous_secret = ?, webhook_previous_secret_expires = ?, "
                        + "updated_at = ?, version = version + 1 where id = ? and version = ?",
                s.webhookSecret,
                s.webhookPreviousSecret,
                s.webhookPreviousSecretExpires,
                s.updatedAt,
                s.id,
                s.version);
        s.version++;
    }

    long pendingDeliveries(String id) {
        return db.with(connection -> DeliveryRows.countPending(connection, id));
    }

    /** Pauses an active subscription (on its way to deletion); one in another state is left as it is. */
    void pauseIfActive(String id) {
        db.update(
                "update subscriptions set state = 'PAUSED', updated_at = now(), version = version + 1 where id = ? and state = 'ACTIVE'",
                id);
    }

    /** Deletes the subscription; the deliveries it still owed are recorded DISCARDED. */
    void delete(String id) {
        db.with(connection -> {
            DeliveryRows.discardPendingOf(connection, id);
            OrderedRows.forget(connection, id);
            return null;
        });
        db.update("delete from subscriptions where id = ?", id);
    }

    private static Subscription row(ResultSet row) throws SQLException {
        Subscription s = new Subscription();
        s.id = row.getString("id");
        s.name = row.getString("name");
        s.topicPattern = row.getString("topic_pattern");
        s.kind = Database.enumOf(Subscription.Kind.class, row, "kind");
        s.state = Database.enumOf(Subscription.State.class, row, "state");
        s.queueName = row.getString("queue_name");
        s.filter = row.getString("filter");
        s.webhookUrl = row.getString("webhook_url");
        s.webhookSecret = row.getString("webhook_secret");
        s.webhookHeaders = row.getString("webhook_headers");
        s.webhookTimeoutMs = Database.integer(row, "webhook_timeout_ms");
        s.webhookPreviousSecret = row.getString("webhook_previous_secret");
        s.webhookPreviousSecretExpires = Database.instant(row, "webhook_previous_secret_expires");
        s.webhookFormat = Database.enumOf(Subscription.Format.class, row, "webhook_format");
        s.retrySchedule = row.getString("retry_schedule");
        s.maxInFlight = Database.integer(row, "max_in_flight");
        s.maxPerSecond = Database.integer(row, "max_per_second");
        s.consecutiveFailures = row.getInt("consecutive_failures");
        s.failingSince = Database.instant(row, "failing_since");
        s.disabledReason = row.getString("disabled_reason");
        s.createdAt = Database.instant(row, "created_at");
        s.updatedAt = Database.instant(row, "updated_at");
        s.destination = row.getString("destination");
        s.transformation = row.getString("transformation");
        s.webhookAuth = row.getString("webhook_auth");
        s.webhookCredentials = row.getString("webhook_credentials");
        s.ordered = row.getBoolean("ordered");
        s.orderingKey = row.getString("ordering_key");
        s.version = row.getLong("version");
        return s;
    }
}
