package io.herald.routing;

import io.herald.broker.EventMessage;
import io.herald.store.NewEvent;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.json.JsonObject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;

/** Builds the queue message of a delivery ({@link EventMessage}) from a relay row or from a hand-off. */
final class CloudEventsAmqp {
    private CloudEventsAmqp() {}

    /** From a relay row: delivery id, event id, then the event's columns (see OutboxRelay). */
    static AmqpMessage message(ResultSet row) throws SQLException {
        Timestamp time = row.getTimestamp("time");
        String extensions = row.getString("extensions");
        Object version = row.getObject("schema_version");
        return new EventMessage(
                        row.getString("event_id"),
                        row.getString("delivery_id"),
                        row.getString("topic"),
                        row.getString("ce_id"),
                        row.getString("source"),
                        row.getString("type"),
                        row.getString("subject"),
                        time == null ? null : time.toInstant().toString(),
                        row.getString("data_content_type"),
                        row.getString("data"),
                        version == null ? null : ((Number) version).intValue(),
                        extensions == null ? Map.of() : new JsonObject(extensions).getMap(),
                        row.getBoolean("replay"),
                        false,
                        row.getTimestamp("accepted_at").getTime())
                .encode();
    }

    /** From the event as accepted, for a delivery handed off by its commit (no replay). */
    static AmqpMessage message(HandOff handOff) {
        NewEvent event = handOff.event();
        return new EventMessage(
                        event.id(),
                        handOff.deliveryId(),
                        event.topic(),
                        event.ceId(),
                        event.source(),
                        event.type(),
                        event.subject(),
                        event.time() == null ? null : event.time().toInstant().toString(),
                        event.dataContentType(),
                        event.data(),
                        event.schemaVersion(),
                        event.extensions() == null
                                ? Map.of()
                                : new JsonObject(event.extensions().toString()).getMap(),
                        false,
                        false,
                        handOff.acceptedAt().toEpochMilli())
                .encode();
    }
}
