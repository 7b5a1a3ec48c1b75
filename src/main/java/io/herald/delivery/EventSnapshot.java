package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.broker.EventMessage;
import java.util.Map;

/** What a webhook request carries of one event, read from its queue message or from the event store. */
public record EventSnapshot(
        String eventId,
        String topic,
        String ceId,
        String source,
        String type,
        String subject,
        String time,
        String dataContentType,
        String data,
        ObjectNode extensions) {

    /** The event a queue message carries; extensions keep their types (a structured delivery shows them so). */
    static EventSnapshot of(EventMessage message, ObjectMapper json) {
        return new EventSnapshot(
                message.eventId(),
                message.topic(),
                message.ceId(),
                message.source(),
                message.type(),
                message.subject(),
                message.time(),
                message.dataContentType(),
                message.data(),
                message.extensions().isEmpty() ? null : json.valueToTree(message.extensions()));
    }

    /** The copy of an exhausted delivery of this event for the subscription's dead-letter queue. */
    @SuppressWarnings("unchecked")
    EventMessage deadLetter(String deliveryId, ObjectMapper json) {
        Map<String, Object> typed = extensions == null ? Map.of() : json.convertValue(extensions, Map.class);
        return new EventMessage(
                eventId,
                deliveryId,
                topic,
                ceId,
                source,
                type,
                subject,
                time,
                dataContentType,
                data,
                null,
                typed,
                false,
                true,
                0);
    }
}
