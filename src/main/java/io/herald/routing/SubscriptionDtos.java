package io.herald.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The API shapes of subscriptions (Svix-style In/Out/Patch naming). */
public final class SubscriptionDtos {
    private SubscriptionDtos() {}

    /** Webhook settings: where, which extra headers, how long to wait. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookIn(
            String url,
            Map<String, String> headers,
            String timeout,
            String format,
            List<String> retrySchedule,
            Integer maxInFlight,
            Integer maxPerSecond) {}

    public record SubscriptionIn(String name, String topic, String kind, JsonNode filter, WebhookIn webhook) {}

    public record SubscriptionPatch(String name, String state, JsonNode filter, WebhookIn webhook) {}

    /** Where a queue subscription's consumer reads, as its AMQP 1.0 client must address it on this broker. */
    public record QueueOut(String address, String deadLetterAddress, String broker) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookOut(
            String url,
            Map<String, String> headers,
            String timeout,
            String format,
            List<String> retrySchedule,
            Integer maxInFlight,
            Integer maxPerSecond,
            String secret) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionOut(
            String id,
            String name,
            String topic,
            String kind,
            String state,
            String disabledReason,
            JsonNode filter,
            WebhookOut webhook,
            QueueOut queue,
            Instant createdAt,
            Instant updatedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionPage(List<SubscriptionOut> items, String next) {}
}
