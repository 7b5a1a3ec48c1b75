package io.herald.delivery.nats;

import io.herald.delivery.Endpoint;
import io.herald.routing.Subscription;

/** A NATS JetStream destination: its subscription, the connection's name and the subject template. */
public record NatsEndpoint(String subscriptionId, String connection, String subject) implements Endpoint {
    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.NATS;
    }
}
