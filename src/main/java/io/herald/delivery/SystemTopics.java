package io.herald.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Herald's own topics, where it publishes operational events ({@code herald.delivery.exhausted},
 * {@code herald.subscription.disabled}) that can be subscribed to like any other topic. Names under {@code herald.}
 * are refused to users, so these are created here.
 */
@Singleton
public class SystemTopics {
    public static final String EXHAUSTED_TOPIC = "herald.delivery.exhausted";
    public static final String DISABLED_TOPIC = "herald.subscription.disabled";

    private final AgroalDataSource dataSource;

    SystemTopics(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void create(@Observes @Priority(1) StartupEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "insert into topics (name, description, owner, retention_seconds, compatibility, created_at, updated_at) "
                                + "values (?, ?, 'herald', 604800, 'NONE', ?, ?) on conflict (name) do nothing")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (String[] topic : new String[][] {
                {EXHAUSTED_TOPIC, "A delivery failed its last scheduled attempt and went to the dead-letter queue"},
                {DISABLED_TOPIC, "A subscription was disabled: 410 Gone, or failing for too long"}
            }) {
                statement.setString(1, topic[0]);
                statement.setString(2, topic[1]);
                statement.setTimestamp(3, now);
                statement.setTimestamp(4, now);
                statement.executeUpdate();
            }
        }
    }
}
