package io.herald.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.store.NewEvent;

/**
 * An event's ordering key for an ordered subscription: a CloudEvents attribute named by the subscription, the value at
 * a JSON pointer into the data (a source starting with {@code /}), or by default the {@code partitionkey} extension
 * (the CloudEvents partitioning extension). An event without one is delivered unordered, as Pub/Sub does.
 */
final class OrderingKey {
    private OrderingKey() {}

    static String of(String source, NewEvent event) {
        if (source != null && source.startsWith("/")) {
            if (event.dataNode() == null) {
                return null;
            }
            JsonNode value = event.dataNode().at(source);
            if (value.isMissingNode() || value.isNull()) {
                return null;
            }
            return value.isValueNode() ? value.asText() : value.toString();
        }
        String name = source == null ? "partitionkey" : source;
        return switch (name) {
            case "id" -> event.ceId();
            case "source" -> event.source();
            case "type" -> event.type();
            case "subject" -> event.subject();
            case "datacontenttype" -> event.dataContentType();
            case "time" -> event.time() == null ? null : event.time().toString();
            default -> {
                JsonNode extension =
                        event.extensions() == null ? null : event.extensions().get(name);
                yield extension == null || extension.isNull() ? null : extension.asText();
            }
        };
    }
}
