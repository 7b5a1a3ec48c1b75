package io.herald.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final List<Duration> SCHEDULE =
            List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30));
    private final RetryPolicy policy = new RetryPolicy(0.2, Duration.ofHours(1));

    @Test
    void eachFailedAttemptWaitsTheNextDelayOfTheSchedule() {
        assertEquals(Duration.ofSeconds(5), policy.nextDelay(SCHEDULE, 1, null, 0.5));
        assertEquals(Duration.ofMinutes(5), policy.nextDelay(SCHEDULE, 2, null, 0.5));
        assertEquals(Duration.ofMinutes(30), policy.nextDelay(SCHEDULE, 3, null, 0.5));
    }

    @Test
    void afterTheLastScheduledAttemptThereIsNoOther() {
        assertNull(policy.nextDelay(SCHEDULE, 4, null, 0.5));
        assertNull(policy.nextDelay(SCHEDULE, 9, null, 0.5));
        assertNull(policy.nextDelay(SCHEDULE, 4, Duration.ofSeconds(1), 0.5), "a Retry-After does not extend it");
        assertNull(policy.nextDelay(List.of(Duration.ZERO), 1, null, 0.5), "one entry: one attempt");
    }

    @Test
    void jitterSpreadsADelayByAtMostTheFractionEitherWay() {
        assertEquals(Duration.ofSeconds(4), policy.nextDelay(SCHEDULE, 1, null, 0.0));
        assertEquals(Duration.ofMillis(5500), policy.nextDelay(SCHEDULE, 1, null, 0.75));
        assertEquals(Duration.ofSeconds(6), policy.nextDelay(SCHEDULE, 1, null, 0.9999));
        assertEquals(Duration.ofMinutes(4), policy.nextDelay(SCHEDULE, 2, null, 0.0));
        assertEquals(Duration.ofSeconds(5), new RetryPolicy(0, Duration.ofHours(1)).nextDelay(SCHEDULE, 1, null, 0.0));
    }

    @Test
    void aDelayTheDestinationAsksForReplacesTheScheduleWithinTheCap() {
        assertEquals(Duration.ofSeconds(42), policy.nextDelay(SCHEDULE, 1, Duration.ofSeconds(42), 0.0));
        assertEquals(Duration.ofHours(1), policy.nextDelay(SCHEDULE, 1, Duration.ofDays(3), 0.0));
        assertEquals(Duration.ZERO, policy.nextDelay(SCHEDULE, 1, Duration.ofSeconds(-5), 0.0));
    }
}
