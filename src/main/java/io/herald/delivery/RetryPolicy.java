package io.herald.delivery;

import java.time.Duration;
import java.util.List;

/**
 * When a failed delivery is attempted again, if at all: a pure function of the schedule, the attempts made and what
 * the destination answered. The schedule lists the delay before each attempt, the first being the first attempt, so a
 * schedule of n entries allows n attempts.
 *
 * @param jitter random spread of a scheduled delay, as a fraction (0.2: plus or minus 20 percent)
 * @param maxRetryAfter a delay the destination asks for is honoured up to this long
 */
public record RetryPolicy(double jitter, Duration maxRetryAfter) {

    /**
     * The delay before the next attempt, or null when there is none (the delivery is exhausted).
     *
     * @param attemptsMade attempts so far, the failed one included
     * @param asked the delay the destination asked for (Retry-After), or null
     * @param random a number in [0, 1) that places the jitter
     */
    public Duration nextDelay(List<Duration> schedule, int attemptsMade, Duration asked, double random) {
        if (attemptsMade >= schedule.size()) {
            return null;
        }
        if (asked != null) {
            return asked.isNegative() ? Duration.ZERO : asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        }
        long scheduled = schedule.get(attemptsMade).toMillis();
        double spread = jitter * (random * 2 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(scheduled * (1 + spread))));
    }
}
