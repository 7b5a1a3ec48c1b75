package io.herald.broker;

import io.vertx.amqp.AmqpMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one mapping between an event and a message on Herald's queues: the CloudEvents AMQP protocol binding, binary
 * content mode. Attributes are application properties prefixed {@code cloudEvents_} (the prefix the current binding
 * prefers), extensions keep their types (string, integer, boolean), the data is the body as one AMQP data section,
 * {@code content-type} is the event's datacontenttype and {@code message-id} Herald's event id. Herald adds
 * {@code herald_event_id}, {@code herald_delivery_id}, {@code herald_topic}, {@code herald_schema_version} when the
 * event was validated, and the markers {@code herald_replay} and {@code herald_exhausted}.
 *
 * @param time the RFC 3339 time as accepted, or null
 * @param extensions extension attributes by name, values String, Integer or Boolean; empty when none
 * @param acceptedAtMillis the message's creation time: when Herald accepted the event (0 when unknown)
 */
public record EventMessage(
        String eventId,
        String deliveryId,
        String topic,
        String ceId,
        String source,
        String type,
        String subject,
        String time,
        String dataContentType,
        String data,
        Integer schemaVersion,
        Map<String, Object> extensions,
        boolean replay,
        boolean exhausted,
        long acceptedAtMillis) {
    static final String PREFIX = "cloudEvents_";
    private static final Set<String> CORE =
            Set.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype");

    public AmqpMessage encode() {
        JsonObject properties = new JsonObject()
                .put(PREFIX + "specversion", "1.0")
                .put(PREFIX + "id", ceId)
                .put(PREFIX + "source", source)
                .put(PREFIX + "type", type)
                .put(PREFIX + "datacontenttype", dataContentType);
        if (subject != null) {
            properties.put(PREFIX + "subject", subject);
        }
        if (time != null) {
            properties.put(PREFIX + "time", time);
        }
        extensions.forEach((name, value) -> properties.put(PREFIX + name, value));
        properties
                .put("herald_event_id", eventId)
                .put("herald_delivery_id", deliveryId)
                .put("herald_topic", topic);
        if (schemaVersion != null) {
            properties.put("herald_schema_version", schemaVersion.intValue());
        }
        if (replay) {
            properties.put("herald_replay", true);
        }
        if (exhausted) {
            properties.put("herald_exhausted", true);
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

    public static EventMessage decode(AmqpMessage message) {
        JsonObject p = message.applicationProperties();
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (String name : p.fieldNames()) {
            if (name.startsWith(PREFIX) && !CORE.contains(name.substring(PREFIX.length()))) {
                extensions.put(name.substring(PREFIX.length()), p.getValue(name));
            }
        }
        Object version = p.getValue("herald_schema_version");
        return new EventMessage(
                p.getString("herald_event_id"),
                p.getString("herald_delivery_id"),
                p.getString("herald_topic"),
                p.getString(PREFIX + "id"),
                p.getString(PREFIX + "source"),
                p.getString(PREFIX + "type"),
                p.getString(PREFIX + "subject"),
                p.getString(PREFIX + "time"),
                message.contentType(),
                message.bodyAsBinary().toString(StandardCharsets.UTF_8),
                version == null ? null : ((Number) version).intValue(),
                extensions,
                Boolean.TRUE.equals(p.getValue("herald_replay")),
                Boolean.TRUE.equals(p.getValue("herald_exhausted")),
                message.creationTime());
    }
}
