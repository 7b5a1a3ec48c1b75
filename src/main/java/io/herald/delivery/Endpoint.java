package io.herald.delivery;

import io.herald.routing.Subscription;

/** A subscription's destination settings, as one attempt needs them. */
public interface Endpoint {
    /** The kind of subscription, which names its destination. */
    Subscription.Kind kind();
}
