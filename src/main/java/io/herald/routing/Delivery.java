package io.herald.routing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One event owed to one subscription. Written in the same transaction as the event (by the store's group commit),
 * moved into the subscription's queue by the {@link OutboxRelay}.
 */
@Entity
@Table(name = "deliveries")
public class Delivery extends PanacheEntityBase {
    public enum State {
        /** Committed, not yet settled by the broker. */
        PENDING,
        /** The broker accepted it into the subscription's queue. */
        QUEUED,
        /** A webhook attempt failed; the next is due at {@link #nextAttemptAt}. */
        RETRYING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every scheduled attempt failed (or the receiver answered 410): in the dead-letter queue. */
        EXHAUSTED,
        /** Dropped with its subscription by an operator. */
        DISCARDED
    }

    @Id
    public String id;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_accepted_at", nullable = false)
    public Instant eventAcceptedAt;

    @Column(name = "subscription_id", nullable = false)
    public String subscriptionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "queued_at")
    public Instant queuedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(nullable = false)
    public boolean replay;

    static long pendingCount(String subscriptionId) {
        return count("subscriptionId = ?1 and state = ?2", subscriptionId, State.PENDING);
    }

    static void discardPending(String subscriptionId) {
        update("state = ?1 where subscriptionId = ?2 and state = ?3", State.DISCARDED, subscriptionId, State.PENDING);
    }
}
