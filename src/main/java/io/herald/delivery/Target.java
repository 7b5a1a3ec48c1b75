package io.herald.delivery;

import java.time.Duration;
import java.util.List;

/** A subscription as its lane needs it: the destination's endpoint, the retry schedule and the lane's limits. */
public record Target(
        String subscriptionId,
        Endpoint endpoint,
        List<Duration> retrySchedule,
        int maxInFlight,
        Integer maxPerSecond) {}
