package io.herald.delivery;

import io.herald.transform.Transformation;
import java.time.Duration;
import java.util.List;

/**
 * A subscription as its lane needs it: the destination's endpoint, the retry schedule, the lane's limits and the
 * transformation (null: events are delivered as they are), and whether events of one key go one at a time.
 */
public record Target(
        String subscriptionId,
        Endpoint endpoint,
        List<Duration> retrySchedule,
        int maxInFlight,
        Integer maxPerSecond,
        Transformation transformation,
        boolean ordered) {}
