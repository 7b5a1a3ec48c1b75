package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The key of an event for a destination that orders or groups by key (a Kafka record key, an SQS message group): a
 * CloudEvents attribute named by the subscription, or the value at a JSON pointer into the data (a source starting
 * with {@code /}); without a source, the event's {@code partitionkey} extension.
 */
public final class EventKey {
    private EventKey() {}

    /** The key, or null when the event has none (data that is not JSON has no pointer to follow). */
    public static String of(String source, EventSnapshot event, ObjectMapper json) {
        if (source == null || !source.startsWith("/")) {
            return CloudEventsAttributes.of(event).get(source == null ? "partitionkey" : source);
        }
        try {
            JsonNode value = json.readTree(event.data()).at(source);
            if (value.isMissingNode() || value.isNull()) {
                return null;
            }
            return value.isValueNode() ? value.asText() : value.toString();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }
}
