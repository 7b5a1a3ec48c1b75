package io.herald.routing;

import io.herald.store.NewEvent;
import java.time.Instant;

/**
 * A delivery its committing instance sends from memory: the event as accepted, and the lease under which no other
 * relay sends it (see {@link OutboxRelay#handOff}).
 */
public record HandOff(String deliveryId, String queueName, NewEvent event, Instant acceptedAt, Instant leaseUntil) {}
