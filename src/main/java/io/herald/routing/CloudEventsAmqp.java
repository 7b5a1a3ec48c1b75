package io.herald.routing;

import io.herald.store.NewEvent;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The message format on subscription queues: the CloudEvents AMQP protocol binding, binary content mode. Attributes
 * are application properties prefixed {@code cloudEvents_} (the prefix the current binding prefers), the data is the
 * body as one AMQP data section, {@code content-type} is the event's datacontenttype and {@code message-id} Herald's
 * event id. Herald adds {@code herald_event_id}, {@code herald_delivery_id}, {@code herald_topic} and, when the event
 * was validated, {@code herald_schema_version}.
 */
final class CloudEventsAmqp {
    static final String PREFIX = "cloudEvents_";

    private CloudEventsAmqp() {}

    /** Builds the message from a relay row: delivery id, event id, then the event's columns (see OutboxRelay). */
    static AmqpMessage message(ResultSet row) throws SQLException {
        Timestamp time = row.getTimestamp("time");
        String extensions = row.getString("extensions");
        Object version = row.getObject("schema_version");
        return message(
                row.getString("delivery_id"),
                row.getString("event_id"),
                row.getString("topic"),
                row.getString("ce_id"),
                row.getString("source"),
                row.getString("type"),
                row.getString("subject"),
                time == null ? null : time.toInstant(),
                row.getString("data_content_type"),
                row.getString("data"),
                version == null ? null : ((Number) version).intValue(),
                extensions == null ? null : new JsonObject(extensions),
                row.getBoolean("replay"),
                row.getTimestamp("accepted_at").getTime());
    }

    /** The same message from the event as accepted, for a delivery handed off by its commit (no replay). */
    static AmqpMessage message(HandOff handOff) {
        NewEvent event = handOff.event();
        return message(
                handOff.deliveryId(),
                event.id(),
                event.topic(),
                event.ceId(),
                event.source(),
                event.type(),
                event.subject(),
                event.time() == null ? null : event.time().toInstant(),
                event.dataContentType(),
                event.data(),
                event.schemaVersion(),
                event.extensions() == null
                        ? null
                        : new JsonObject(event.extensions().toString()),
                false,
                handOff.acceptedAt().toEpochMilli());
    }

    private static AmqpMessage message(
            String deliveryId,
            String eventId,
            String topic,
            String ceId,
            String source,
            String type,
            String subject,
            Instant time,
            String dataContentType,
            String data,
            Integer schemaVersion,
            JsonObject extensions,
            boolean replay,
            long acceptedAtMillis) {
        JsonObject properties = new JsonObject()
                .put(PREFIX + "specversion", "1.0")
                .put(PREFIX + "id", ceId)
                .put(PREFIX + "source", source)
                .put(PREFIX + "type", type)
                .put(PREFIX + "datacontenttype", dataContentType);
        putIfPresent(properties, PREFIX + "subject", subject);
        if (time != null) {
            properties.put(PREFIX + "time", time.toString());
        }
        if (extensions != null) {
            extensions.forEach(entry -> properties.put(PREFIX + entry.getKey(), entry.getValue()));
        }
        properties
                .put("herald_event_id", eventId)
                .put("herald_delivery_id", deliveryId)
                .put("herald_topic", topic);
        if (replay) {
            properties.put("herald_replay", true);
        }
        if (schemaVersion != null) {
            properties.put("herald_schema_version", schemaVersion.intValue());
        }
        return AmqpMessage.create()
                .durable(true)
                .id(eventId)
                .contentType(dataContentType)
                .creationTime(acceptedAtMillis)
                .applicationProperties(properties)
                .withBufferAsBody(Buffer.buffer(data.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static void putIfPresent(JsonObject properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
