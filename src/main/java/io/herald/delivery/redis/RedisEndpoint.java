package io.herald.delivery.redis;

import io.herald.delivery.Endpoint;
import io.herald.routing.Subscription;

/** A Redis Streams destination: the connection's name, the stream key template and an approximate length cap. */
public record RedisEndpoint(String connection, String stream, Long maxLen) implements Endpoint {
    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.REDIS;
    }
}
