package io.herald.delivery;

import io.herald.routing.Subscription;
import io.herald.routing.Subscriptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Subscriptions Herald delivers, read as lanes need them: the destination's endpoint, the schedule and the limits. */
@Singleton
class Targets {
    private final Subscriptions subscriptions;
    private final Destinations destinations;
    private final DeliveryConfig config;
    private final Transformations transformations;

    Targets(
            Subscriptions subscriptions,
            Destinations destinations,
            DeliveryConfig config,
            Transformations transformations) {
        this.subscriptions = subscriptions;
        this.destinations = destinations;
        this.config = config;
        this.transformations = transformations;
    }

    /** Active subscriptions Herald delivers, by id. */
    Map<String, Target> active() {
        Map<String, Target> targets = new HashMap<>();
        for (Subscription subscription : subscriptions.activeDelivered()) {
            Target target = target(subscription);
            if (target != null) {
                targets.put(subscription.id, target);
            }
        }
        return targets;
    }

    /** A subscription Herald delivers, in any state; null when there is none. */
    Target load(String subscriptionId) {
        Subscription subscription = subscriptions.find(subscriptionId);
        return subscription == null ? null : target(subscription);
    }

    private Target target(Subscription subscription) {
        Endpoint endpoint = destinations.endpoint(subscription);
        if (endpoint == null) {
            return null;
        }
        List<Duration> schedule = subscription.retrySchedule == null
                ? config.retrySchedule()
                : Arrays.stream(subscription.retrySchedule.split(","))
                        .map(String::trim)
                        .map(Duration::parse)
                        .toList();
        return new Target(
                subscription.id,
                endpoint,
                schedule,
                subscription.maxInFlight == null ? config.maxInFlight() : subscription.maxInFlight,
                subscription.maxPerSecond,
                transformations.compiled(subscription.transformation),
                subscription.ordered);
    }
}
