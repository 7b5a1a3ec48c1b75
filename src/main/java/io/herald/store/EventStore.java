package io.herald.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.platform.Paging;
import io.herald.platform.problem.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads the event store. Lists are newest first with keyset pagination on (accepted_at, id): every page is an index
 * range scan, however deep, never an OFFSET.
 */
@ApplicationScoped
public class EventStore {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    private static final String COLUMNS =
            "id, topic, ce_id, source, type, subject, time, data_content_type, data, schema_version, "
                    + "extensions, accepted_at";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    EventStore(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Search criteria; null fields do not filter. Times are on acceptance: from inclusive, to exclusive. */
    public record Query(
            String topic, String type, String subject, String from, String to, String after, String limit) {}

    public Optional<EventOut> get(String id) {
        String sql = "select " + COLUMNS + " from events where id = ? order by accepted_at desc limit 1";
        try (Connection connection = dataSource.getConnection()) {
            EventOut event;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, id);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    event = read(rs, null);
                }
            }
            List<EventOut.DeliveryOut> owed = DeliveryRows.ofEvent(connection, id).stream()
                    .map(row -> new EventOut.DeliveryOut(
                            row.id(), row.subscriptionId(), row.state().apiName(), row.createdAt(), row.queuedAt()))
                    .toList();
            return Optional.of(new EventOut(
                    event.id(),
                    event.topic(),
                    event.ceId(),
                    event.source(),
                    event.type(),
                    event.subject(),
                    event.time(),
                    event.dataContentType(),
                    event.data(),
                    event.schemaVersion(),
                    event.extensions(),
                    event.acceptedAt(),
                    owed));
        } catch (SQLException e) {
            throw new StoreReadException(e);
        }
    }

    public EventPage list(Query query) {
        int size = Paging.limit(query.limit(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        Violations violations = new Violations();
        Instant from = instant(query.from(), "/from", violations);
        Instant to = instant(query.to(), "/to", violations);
        Cursor after =
                query.after() == null || query.after().isEmpty() ? null : Cursor.decode(query.after(), violations);
        violations.throwIfAny();

        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from events where true");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, "topic = ?", query.topic());
        condition(sql, parameters, "type = ?", query.type());
        condition(sql, parameters, "subject = ?", query.subject());
        condition(sql, parameters, "accepted_at >= ?", from == null ? null : Timestamp.from(from));
        condition(sql, parameters, "accepted_at < ?", to == null ? null : Timestamp.from(to));
        if (after != null) {
            sql.append(" and (accepted_at, id) < (?, ?)");
            parameters.add(Timestamp.from(after.acceptedAt()));
            parameters.add(after.id());
        }
        sql.append(" order by accepted_at desc, id desc limit ").append(size + 1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            // Planned with the actual values every time: a cached generic plan walks the store newest first hoping to
            // meet a common type soon, and reads the whole store for a rare or absent one.
            statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<EventOut> items = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    items.add(read(rs, null));
                }
            }
            boolean more = items.size() > size;
            if (more) {
                items = items.subList(0, size);
            }
            EventOut last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new EventPage(items, more ? new Cursor(last.acceptedAt(), last.id()).encode() : null);
        } catch (SQLException e) {
            throw new StoreReadException(e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        if (value != null && !(value instanceof String text && text.isEmpty())) {
            sql.append(" and ").append(clause);
            parameters.add(value);
        }
    }

    private EventOut read(ResultSet rs, List<EventOut.DeliveryOut> deliveries) throws SQLException {
        Timestamp time = rs.getTimestamp(7);
        return new EventOut(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                time == null ? null : rs.getObject(7, OffsetDateTime.class),
                rs.getString(8),
                parse(rs.getString(9)),
                (Integer) rs.getObject(10),
                parse(rs.getString(11)),
                instant(rs.getTimestamp(12)),
                deliveries);
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not JSON", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Instant instant(String value, String pointer, Violations violations) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(
                    pointer,
                    "query parameter must be an RFC 3339 timestamp such as 2026-11-26T10:00:00Z, not '" + value + "'");
            return null;
        }
    }

    /** The opaque position after which the next page starts. */
    private record Cursor(Instant acceptedAt, String id) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((acceptedAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value, Violations violations) {
            try {
                String[] parts =
                        new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\\|", 2);
                return new Cursor(Instant.parse(parts[0]), parts[1]);
            } catch (RuntimeException e) {
                violations.add(
                        "/after", "is not a cursor this API returned (use the 'next' value of the previous page)");
                return null;
            }
        }
    }

    /** Reading failed for a database reason: a 503, nothing was changed. */
    public static final class StoreReadException extends io.herald.platform.problem.ServiceUnavailableException {
        StoreReadException(SQLException cause) {
            super("The event store is unavailable", cause);
        }
    }
}
