package io.herald.routing;

import io.herald.platform.problem.Violations;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/** What every delivered subscription may set, whatever its destination: its retry schedule and its lane's limits. */
public interface DeliveryLimits {
    /** Delays before each attempt (ISO-8601), the first being the first attempt; null or empty: the default. */
    List<String> retrySchedule();

    /** Attempts in flight per instance; null: herald.delivery.max-in-flight. */
    Integer maxInFlight();

    /** Deliveries per second per instance; null: no cap. */
    Integer maxPerSecond();

    /** Refuses limits out of bounds, each named by its JSON pointer under {@code prefix}. */
    static void check(DeliveryLimits limits, String prefix, Violations violations) {
        // An empty list means "not given" (generated clients send one by default): the global schedule applies.
        List<String> schedule = limits.retrySchedule();
        if (schedule != null && !schedule.isEmpty()) {
            if (schedule.size() > 20) {
                violations.add(
                        prefix + "/retrySchedule", "must list at most 20 delays (the first is the first attempt)");
            }
            for (int i = 0; i < schedule.size(); i++) {
                try {
                    Duration delay = Duration.parse(schedule.get(i));
                    if (delay.isNegative() || delay.compareTo(Duration.ofDays(1)) > 0) {
                        violations.add(prefix + "/retrySchedule/" + i, "must be between PT0S and P1D");
                    }
                } catch (DateTimeParseException | NullPointerException e) {
                    violations.add(prefix + "/retrySchedule/" + i, "must be an ISO-8601 duration such as PT5M");
                }
            }
        }
        if (limits.maxInFlight() != null && (limits.maxInFlight() < 1 || limits.maxInFlight() > 100)) {
            violations.add(prefix + "/maxInFlight", "must be between 1 and 100");
        }
        if (limits.maxPerSecond() != null && (limits.maxPerSecond() < 1 || limits.maxPerSecond() > 10_000)) {
            violations.add(prefix + "/maxPerSecond", "must be between 1 and 10000");
        }
    }

    /** Writes the limits given; those not given keep their value. */
    static void apply(Subscription subscription, DeliveryLimits limits) {
        if (limits.retrySchedule() != null && !limits.retrySchedule().isEmpty()) {
            subscription.retrySchedule = String.join(",", limits.retrySchedule());
        }
        if (limits.maxInFlight() != null) {
            subscription.maxInFlight = limits.maxInFlight();
        }
        if (limits.maxPerSecond() != null) {
            subscription.maxPerSecond = limits.maxPerSecond();
        }
    }

    /** The stored schedule as the API shows it; null when the default applies. */
    static List<String> schedule(Subscription subscription) {
        return subscription.retrySchedule == null ? null : List.of(subscription.retrySchedule.split(","));
    }
}
