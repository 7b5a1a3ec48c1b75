package io.herald.delivery;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Every destination Herald delivers to, found by the type of a subscription's endpoint. */
@Singleton
public class Destinations {
    private final Map<Class<?>, Destination<?>> byEndpoint = new HashMap<>();

    Destinations(@Any Instance<Destination<?>> destinations) {
        destinations.forEach(destination -> byEndpoint.put(destination.endpointType(), destination));
    }

    /** One attempt at the endpoint's destination. */
    @SuppressWarnings("unchecked")
    public <E extends Endpoint> CompletableFuture<Outcome> attempt(E endpoint, EventSnapshot event) {
        Destination<E> destination = (Destination<E>) byEndpoint.get(endpoint.getClass());
        if (destination == null) {
            throw new IllegalStateException(
                    "No destination delivers to " + endpoint.getClass().getSimpleName());
        }
        return destination.attempt(endpoint, event);
    }
}
