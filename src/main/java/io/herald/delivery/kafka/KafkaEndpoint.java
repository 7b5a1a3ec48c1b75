package io.herald.delivery.kafka;

import io.herald.delivery.Endpoint;
import io.herald.routing.Subscription;

/**
 * A Kafka destination: the connection's name, the topic template and where the record key comes from (a CloudEvents
 * attribute name, or a JSON pointer into the data when it starts with {@code /}; null: the event's
 * {@code partitionkey}, if it has one).
 */
public record KafkaEndpoint(String connection, String topic, String key) implements Endpoint {
    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.KAFKA;
    }
}
