package io.herald.store;

import java.util.Locale;

/**
 * Where a delivery is in its life. PENDING and QUEUED are on their way to a first attempt (in the outbox, then in the
 * subscription's queue); RETRYING waits in PostgreSQL for its next attempt; WAITING for an earlier delivery of its
 * ordering key; the other four are final (SKIPPED: the subscription's transformation chose not to deliver it).
 */
public enum DeliveryState {
    PENDING,
    QUEUED,
    RETRYING,
    DELIVERED,
    EXHAUSTED,
    DISCARDED,
    SKIPPED,
    /** Of an ordered subscription: waits for the deliveries of its key accepted before it. */
    WAITING;

    /** Final without a failure (null: a manual attempt that changed nothing): an ordered key's next delivery may go. */
    public static boolean releasesKey(DeliveryState state) {
        return state == DELIVERED || state == SKIPPED || state == DISCARDED;
    }

    /** The name the API and the console use. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState ofApiName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The state as an SQL literal, for conditions a partial index or a plan must see written out. */
    String sql() {
        return "'" + name() + "'";
    }
}
