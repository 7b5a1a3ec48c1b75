package io.herald.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What the delivery API and the console read and send: deliveries, attempts, and the operator's actions on them. */
public final class DeliveryDtos {
    private DeliveryDtos() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryOut(
            String id,
            String eventId,
            String subscriptionId,
            String state,
            int attempts,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant queuedAt,
            Instant finishedAt,
            boolean replay) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryPage(List<DeliveryOut> items, String next) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptOut(
            Instant attemptedAt,
            int durationMs,
            Integer statusCode,
            String outcome,
            String errorClass,
            String error,
            String responseExcerpt,
            String trigger) {}

    public record AttemptList(List<AttemptOut> items) {}

    /** What a manual retry did: the attempt, and the delivery after it. */
    public record RetryOut(AttemptOut attempt, DeliveryOut delivery) {}

    public record RedriveIn(List<String> deliveryIds) {}

    public record RedriveOut(int redriven) {}

    public record ReplayIn(String from, String to, JsonNode filter, Boolean dryRun, Integer ratePerSecond) {}

    /** What a replay request started: {@code id} names the recorded job whose progress the API shows (none for a dry run). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplayOut(int matched, boolean dryRun, int replayed, String id, String state) {}

    public record SecretOut(String secret, Instant previousSecretValidUntil) {}
}
