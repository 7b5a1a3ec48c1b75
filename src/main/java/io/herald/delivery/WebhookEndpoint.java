package io.herald.delivery;

import io.herald.routing.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A webhook: where, how, with which secrets (the rotated-out one too, while it is still valid). */
public record WebhookEndpoint(
        String url, Map<String, String> headers, Duration timeout, List<String> secrets, Subscription.Format format)
        implements Endpoint {
    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.WEBHOOK;
    }
}
