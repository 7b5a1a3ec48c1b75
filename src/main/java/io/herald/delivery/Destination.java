package io.herald.delivery;

import io.herald.routing.Subscription;
import java.util.concurrent.CompletableFuture;

/**
 * Where a subscription's deliveries go. An attempt never fails exceptionally: whatever happens, including a refused
 * connection or a timeout, comes back as an {@link Outcome}, which the ledger records and acts on (retries, dead
 * letters, auto-disable and operational events are the same for every destination).
 */
public interface Destination<E extends Endpoint> {
    /** The kind of subscription this destination delivers. */
    Subscription.Kind kind();

    /** A subscription's settings as an attempt needs them, read from its row. */
    E endpoint(Subscription subscription);

    CompletableFuture<Outcome> attempt(E endpoint, EventSnapshot event);
}
