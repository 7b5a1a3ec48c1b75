package io.herald.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * Where a subscription's deliveries go. An attempt never fails exceptionally: whatever happens, including a refused
 * connection or a timeout, comes back as an {@link Outcome}, which the ledger records and acts on (retries, dead
 * letters, auto-disable and operational events are the same for every destination).
 */
public interface Destination<E extends Endpoint> {
    /** The settings of a subscription this destination delivers to. */
    Class<E> endpointType();

    CompletableFuture<Outcome> attempt(E endpoint, EventSnapshot event);
}
