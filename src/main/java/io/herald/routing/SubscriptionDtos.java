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
            Integer maxPerSecond,
            WebhookAuthIn auth,
            WebhookTlsIn tls)
            implements DeliveryLimits {}

    /**
     * How Herald authenticates to the endpoint besides signing: {@code basic} (username, password), {@code bearer}
     * (token), {@code oauth2} (client credentials: tokenUrl, clientId, clientSecret, optional scope and audience), or
     * {@code none} to remove it. Secrets are stored encrypted and never shown again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookAuthIn(
            String type,
            String username,
            String password,
            String token,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            String audience) {}

    /** The settings of {@link WebhookAuthIn} that may be shown: never a password, token or client secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookAuthOut(
            String type, String username, String tokenUrl, String clientId, String scope, String audience) {}

    /**
     * Mutual TLS: the client certificate (PEM, its chain may follow) and its private key (PEM, PKCS#8 or PKCS#1) that
     * Herald presents, and the CA certificates (PEM) it trusts for this endpoint instead of the system's. All three
     * empty removes it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookTlsIn(String clientCertificate, String clientKey, String caCertificates) {}

    /** Mutual TLS as shown: the certificates (public), when the client certificate expires; never the key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookTlsOut(String clientCertificate, Instant clientCertificateExpiresAt, String caCertificates) {}

    /** A NATS JetStream destination: a named connection and the subject, templated from the event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NatsSettings(
            String connection, String subject, List<String> retrySchedule, Integer maxInFlight, Integer maxPerSecond)
            implements DeliveryLimits {}

    /** A Redis Streams destination: a named connection, the stream key (templated) and an approximate cap. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RedisSettings(
            String connection,
            String stream,
            Long maxLen,
            List<String> retrySchedule,
            Integer maxInFlight,
            Integer maxPerSecond)
            implements DeliveryLimits {}

    /**
     * A Kafka destination: a named connection, the topic (templated) and the record key: a CloudEvents attribute name,
     * or a JSON pointer into the data (starting with {@code /}); without one, the event's {@code partitionkey}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaSettings(
            String connection,
            String topic,
            String key,
            List<String> retrySchedule,
            Integer maxInFlight,
            Integer maxPerSecond)
            implements DeliveryLimits {}

    /**
     * An SQS destination: a named connection, the queue URL and, for a FIFO queue, where the message group comes from
     * (as a Kafka key: an attribute name or a JSON pointer into the data; without one, one group per subscription).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SqsSettings(
            String connection,
            String queueUrl,
            String groupKey,
            List<String> retrySchedule,
            Integer maxInFlight,
            Integer maxPerSecond)
            implements DeliveryLimits {}

    public record SubscriptionIn(
            String name,
            String topic,
            String kind,
            JsonNode filter,
            WebhookIn webhook,
            NatsSettings nats,
            RedisSettings redis,
            KafkaSettings kafka,
            SqsSettings sqs,
            String transformation,
            Boolean ordered,
            String orderingKey) {}

    public record SubscriptionPatch(
            String name,
            String state,
            JsonNode filter,
            WebhookIn webhook,
            NatsSettings nats,
            RedisSettings redis,
            KafkaSettings kafka,
            SqsSettings sqs,
            String transformation,
            Boolean ordered,
            String orderingKey) {}

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
            String secret,
            WebhookAuthOut auth,
            WebhookTlsOut tls) {}

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
            NatsSettings nats,
            RedisSettings redis,
            KafkaSettings kafka,
            SqsSettings sqs,
            String transformation,
            Boolean ordered,
            String orderingKey,
            Instant createdAt,
            Instant updatedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionPage(List<SubscriptionOut> items, String next) {}
}
