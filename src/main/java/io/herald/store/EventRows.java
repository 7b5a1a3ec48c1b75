package io.herald.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Appends events to the partitioned {@code events} table: one statement for a whole commit group. */
public final class EventRows {
    private static final String INSERT = """
            insert into events (id, topic, ce_id, source, type, subject, time, data_content_type, data, schema_version,
                                extensions, accepted_at)
            select id, topic, ce_id, source, type, subject, time::timestamptz, data_content_type, data, schema_version,
                   extensions::jsonb, ?::timestamptz
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::int4[], ?::text[])
                 as t(id, topic, ce_id, source, type, subject, time, data_content_type, data, schema_version, extensions)""";

    private EventRows() {}

    public static void insert(Connection connection, List<NewEvent> events, Instant acceptedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, acceptedAt.toString());
            SqlArrays.bindText(connection, statement, 2, events, NewEvent::id);
            SqlArrays.bindText(connection, statement, 3, events, NewEvent::topic);
            SqlArrays.bindText(connection, statement, 4, events, NewEvent::ceId);
            SqlArrays.bindText(connection, statement, 5, events, NewEvent::source);
            SqlArrays.bindText(connection, statement, 6, events, NewEvent::type);
            SqlArrays.bindText(connection, statement, 7, events, NewEvent::subject);
            SqlArrays.bindText(
                    connection,
                    statement,
                    8,
                    events,
                    e -> e.time() == null ? null : e.time().toString());
            SqlArrays.bindText(connection, statement, 9, events, NewEvent::dataContentType);
            SqlArrays.bindText(connection, statement, 10, events, NewEvent::data);
            SqlArrays.bindInteger(connection, statement, 11, events, NewEvent::schemaVersion);
            SqlArrays.bindText(
                    connection,
                    statement,
                    12,
                    events,
                    e -> e.extensions() == null ? null : e.extensions().toString());
            statement.executeUpdate();
        }
    }
}
