package io.herald.delivery;

import io.herald.routing.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A webhook subscription as one attempt needs it: where, how, with which secrets. */
public record Target(
        String subscriptionId,
        String url,
        Map<String, String> headers,
        Duration timeout,
        List<String> secrets,
        Subscription.Format format,
        List<Duration> retrySchedule,
        int maxInFlight,
        Integer maxPerSecond) {}
