package io.herald.routing;

import io.herald.platform.problem.Violations;
import io.herald.transform.Transformation;
import io.herald.transform.TransformationException;

/**
 * What a subscription Herald delivers does to its events on the way: a transformation (ADR 0020) and ordering per key
 * (ADR 0022). Neither applies to a queue subscription, whose consumers read events as they are, in queue order.
 */
final class DeliveryShape {
    private DeliveryShape() {}

    /** Null arguments are not being set; an empty transformation or key removes it (both checked as given). */
    static void check(
            Subscription.Kind kind, String transformation, Boolean ordered, String orderingKey, Violations violations) {
        boolean delivered = kind == null || kind.delivered();
        if (transformation != null && !transformation.isBlank()) {
            if (!delivered) {
                violations.add(
                        "/transformation",
                        "only subscriptions Herald delivers have one: a queue's consumers read events as they are");
            } else {
                try {
                    Transformation.compile(transformation);
                } catch (TransformationException e) {
                    violations.add("/transformation", "is not a JSONata expression Herald can run: " + e.describe());
                }
            }
        }
        if (Boolean.TRUE.equals(ordered) && !delivered) {
            violations.add(
                    "/ordered", "only subscriptions Herald delivers can be ordered: a queue is read in order already");
        }
        if (orderingKey != null && !orderingKey.isEmpty()) {
            String problem = DestinationSettings.keyProblem(orderingKey);
            if (problem != null) {
                violations.add("/orderingKey", problem);
            }
        }
    }

    /** Writes what is given: an empty transformation removes it, an empty key goes back to {@code partitionkey}. */
    static void apply(Subscription subscription, String transformation, Boolean ordered, String orderingKey) {
        if (transformation != null) {
            subscription.transformation = transformation.isBlank() ? null : transformation;
        }
        if (ordered != null) {
            subscription.ordered = ordered;
        }
        if (orderingKey != null) {
            subscription.orderingKey = orderingKey.isBlank() ? null : orderingKey;
        }
    }
}
