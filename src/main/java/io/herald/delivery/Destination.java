package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** An engine subscription's stored settings (the {@code destination} column, written by the API's checks). */
    static JsonNode settings(Subscription subscription, ObjectMapper json) {
        try {
            return json.readTree(subscription.destination);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored settings of subscription " + subscription.id + " are not JSON", e);
        }
    }
}
