package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.routing.Subscription;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Webhook subscriptions read as lanes need them: the endpoint, with the secrets that sign now, and the limits. */
@Singleton
class WebhookTargets {
    private static final String TARGETS = """
            select id, webhook_url, webhook_headers, webhook_timeout_ms, webhook_secret, webhook_previous_secret,
                   webhook_previous_secret_expires, webhook_format, retry_schedule, max_in_flight, max_per_second
            from subscriptions where kind = 'WEBHOOK'""";

    private final AgroalDataSource dataSource;
    private final DeliveryConfig config;
    private final ObjectMapper json;

    WebhookTargets(AgroalDataSource dataSource, DeliveryConfig config, ObjectMapper json) {
        this.dataSource = dataSource;
        this.config = config;
        this.json = json;
    }

    /** Active webhook subscriptions, by id. */
    Map<String, Target> active() throws SQLException {
        Map<String, Target> targets = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TARGETS + " and state = 'ACTIVE'");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                targets.put(rs.getString(1), target(rs));
            }
        }
        return targets;
    }

    /** A webhook subscription in any state; null when there is none. */
    Target load(String subscriptionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TARGETS + " and id = ?")) {
            statement.setString(1, subscriptionId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? target(rs) : null;
            }
        }
    }

    private Target target(ResultSet rs) throws SQLException {
        List<String> secrets = new ArrayList<>();
        secrets.add(rs.getString(5));
        Timestamp previousExpires = rs.getTimestamp(7);
        if (rs.getString(6) != null
                && previousExpires != null
                && previousExpires.toInstant().isAfter(Instant.now())) {
            secrets.add(rs.getString(6));
        }
        Map<String, String> headers;
        try {
            headers = rs.getString(3) == null
                    ? Map.of()
                    : json.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored headers are not JSON", e);
        }
        List<Duration> schedule = rs.getString(9) == null
                ? config.retrySchedule()
                : Arrays.stream(rs.getString(9).split(","))
                        .map(String::trim)
                        .map(Duration::parse)
                        .toList();
        Integer maxInFlight = (Integer) rs.getObject(10);
        WebhookEndpoint endpoint = new WebhookEndpoint(
                rs.getString(2),
                headers,
                Duration.ofMillis(rs.getInt(4)),
                List.copyOf(secrets),
                Subscription.Format.valueOf(rs.getString(8)));
        return new Target(
                rs.getString(1), endpoint, schedule, maxInFlight == null ? config.maxInFlight() : maxInFlight, (Integer)
                        rs.getObject(11));
    }
}
