package io.herald.delivery;

import io.herald.routing.Subscription;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Every destination Herald delivers to, by the kind of subscription it delivers. */
@Singleton
public class Destinations {
    private final Map<Subscription.Kind, Destination<?>> byKind = new EnumMap<>(Subscription.Kind.class);

    Destinations(@Any Instance<Destination<?>> destinations) {
        destinations.forEach(destination -> byKind.put(destination.kind(), destination));
    }

    /** The subscription's endpoint; null for a kind Herald does not deliver (a queue subscription). */
    Endpoint endpoint(Subscription subscription) {
        Destination<?> destination = byKind.get(subscription.kind);
        return destination == null ? null : destination.endpoint(subscription);
    }

    /** One attempt at the endpoint's destination. */
    @SuppressWarnings("unchecked")
    public <E extends Endpoint> CompletableFuture<Outcome> attempt(E endpoint, EventSnapshot event) {
        Destination<E> destination = (Destination<E>) byKind.get(endpoint.kind());
        if (destination == null) {
            throw new IllegalStateException("No destination delivers " + endpoint.kind() + " subscriptions");
        }
        return destination.attempt(endpoint, event);
    }
}
