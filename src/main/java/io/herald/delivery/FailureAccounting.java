package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.Ids;
import io.herald.routing.Router;
import io.herald.store.EventRows;
import io.herald.store.NewEvent;
import io.herald.store.SqlArrays;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * A subscription's run of failed attempts and what it leads to, inside the transaction that records the attempt:
 * disabling the subscription after too many failures for too long, and the operational events that tell operators
 * (a delivery exhausted, a subscription disabled), stored and routed like any event.
 */
@Singleton
class FailureAccounting {
    private final Router router;
    private final DeliveryConfig config;
    private final ObjectMapper json;

    FailureAccounting(Router router, DeliveryConfig config, ObjectMapper json) {
        this.router = router;
        this.config = config;
        this.json = json;
    }

    /** Subscriptions that delivered: their run of failures ends. */
    void succeeded(Connection connection, List<String> subscriptionIds) throws SQLException {
        try (PreparedStatement healthy =
                connection.prepareStatement("update subscriptions set consecutive_failures = 0, "
                        + "failing_since = null where id = any(?::text[]) and consecutive_failures > 0")) {
            SqlArrays.bindText(
                    connection,
                    healthy,
                    1,
                    subscriptionIds.stream().distinct().sorted().toList(),
                    id -> id);
            healthy.executeUpdate();
        }
    }

    /** Counts a failure; true when it disabled the subscription (too many attempts in a row, for too long). */
    boolean failed(Connection connection, String subscriptionId, Instant now) throws SQLException {
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

    /** Disables the subscription and announces it; false when it was disabled already. */
    boolean disable(Connection connection, String subscriptionId, String reason, Instant now) throws SQLException {
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
        publish(connection, SystemTopics.DISABLED_TOPIC, subscriptionId, data, now);
        return true;
    }

    /** Announces a delivery that will not be attempted again. */
    void exhausted(Connection connection, DeliveryLedger.Claim claim, AttemptResult last, int attempts, Instant now)
            throws SQLException {
        ObjectNode data = json.createObjectNode()
                .put("deliveryId", claim.deliveryId())
                .put("subscriptionId", claim.subscriptionId())
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
        publish(connection, SystemTopics.EXHAUSTED_TOPIC, claim.subscriptionId(), data, now);
    }

    /** Stores an operational event in this same transaction and routes it to its topic's subscribers. */
    private void publish(Connection connection, String topic, String subject, JsonNode data, Instant now)
            throws SQLException {
        String id = Ids.next("evt");
        NewEvent event = new NewEvent(
                id,
                topic,
                id,
                "/herald",
                topic,
                subject,
                null,
                "application/json",
                data.toString(),
                data,
                null,
                null,
                "");
        EventRows.insert(connection, List.of(event), now);
        router.route(connection, List.of(event), now);
    }
}
