package io.herald.delivery;

import java.time.Duration;

/**
 * What one attempt at a destination came to, as a destination judges its engine's answer. The ledger moves the
 * delivery on from it the same way for every destination; {@link #attempt()} is what the attempt's record shows.
 */
public sealed interface Outcome {
    AttemptResult attempt();

    /** The destination took the event. */
    record Delivered(AttemptResult attempt) implements Outcome {}

    /**
     * A transient failure: attempted again on the subscription's schedule, or after {@code delay} when the destination
     * asked for one (clamped by {@code herald.delivery.max-retry-after}), until the schedule runs out.
     */
    record Retry(AttemptResult attempt, Duration delay) implements Outcome {}

    /**
     * A failure no retry can mend: the delivery is exhausted at once. With a {@code disableReason} the subscription is
     * disabled too (the destination said it is gone for good).
     */
    record Permanent(AttemptResult attempt, String disableReason) implements Outcome {}

    /** The subscription's transformation chose not to deliver the event: recorded SKIPPED, nothing attempted. */
    record Skipped(AttemptResult attempt) implements Outcome {}

    default boolean delivered() {
        return this instanceof Delivered;
    }
}
