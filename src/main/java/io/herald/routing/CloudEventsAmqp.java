package io.herald.routing;

import io.vertx.amqp.AmqpMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The message format on subscription queues: the CloudEvents AMQP protocol binding, binary content mode. Attributes
 * are application properties prefixed {@code cloudEvents_} (the prefix the current binding prefers), the data is the
 * body as one AMQP data section, {@code content-type} is the event's datacontenttype and {@code message-id} Herald's
 * event id. Herald adds {@code herald_event_id}, {@code herald_delivery_id}, {@code herald_topic} and, when the event
 * was validated, {@code herald_schema_version}.
 */
final class CloudEventsAmqp {
    static final String PREFIX = "cloudEvents_";

    private CloudEventsAmqp() {
    }

    /** Builds the message from a relay row: delivery id, event id, then the event's columns (see OutboxRelay). */
    static AmqpMessage message(ResultSet row) throws SQLException {
        JsonObject properties = new JsonObject()
                .put(PREFIX + "specversion", "1.0")
                .put(PREFIX + "id", row.getString("ce_id"))
                .put(PREFIX + "source", row.getString("source"))
                .put(PREFIX + "type", row.getString("type"))
                .put(PREFIX + "datacontenttype", row.getString("data_content_type"));
        putIfPresent(properties, PREFIX + "subject", row.getString("subject"));
        Timestamp time = row.getTimestamp("time");
        if (time != null) {
            properties.put(PREFIX + "time", time.toInstant().toString());
        }
        String extensions = row.getString("extensions");
        if (extensions != null) {
            new JsonObject(extensions).forEach(entry -> properties.put(PREFIX + entry.getKey(), entry.getValue()));
        }
        properties.put("herald_event_id", row.getString("event_id"))
                .put("herald_delivery_id", row.getString("delivery_id"))
                .put("herald_topic", row.getString("topic"));
        if (row.getBoolean("replay")) {
            properties.put("herald_replay", true);
        }
        Object version = row.getObject("schema_version");
        if (version != null) {
            properties.put("herald_schema_version", ((Number) version).intValue());
        }
        return AmqpMessage.create()
                .durable(true)
                .id(row.getString("event_id"))
                .contentType(row.getString("data_content_type"))
                .creationTime(row.getTimestamp("accepted_at").getTime())
                .applicationProperties(properties)
                .withBufferAsBody(Buffer.buffer(row.getString("data").getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static void putIfPresent(JsonObject properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
