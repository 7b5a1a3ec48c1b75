package io.herald.delivery;

import io.herald.routing.Subscription;
import io.herald.routing.WebhookCredentials;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook: where, how, with which secrets (the rotated-out one too, while it is still valid), and how Herald
 * authenticates to it besides signing. {@code unusable} says why its stored credentials cannot be used (then every
 * attempt fails with that reason, and the other subscriptions are unaffected).
 */
public record WebhookEndpoint(
        String url,
        Map<String, String> headers,
        Duration timeout,
        List<String> secrets,
        Subscription.Format format,
        WebhookCredentials.Resolved credentials,
        String unusable)
        implements Endpoint {

    /** The endpoint with more request headers (a transformation's), which replace configured ones of the same name. */
    public WebhookEndpoint withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        more.forEach((name, value) -> {
            all.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            all.put(name, value);
        });
        return new WebhookEndpoint(url, Map.copyOf(all), timeout, secrets, format, credentials, unusable);
    }

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.WEBHOOK;
    }
}
