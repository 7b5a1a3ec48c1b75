package io.herald.routing;

import java.time.Instant;

/** Who receives a topic's events, through one durable queue of its own ({@link #queueName}). A row of {@link Subscriptions}. */
public class Subscription {
    public enum Kind {
        WEBHOOK,
        QUEUE,
        NATS,
        REDIS,
        KAFKA,
        SQS;

        /** Herald delivers it (a lane on every instance); a queue subscription's consumers read the queue themselves. */
        public boolean delivered() {
            return this != QUEUE;
        }
    }

    public enum State {
        ACTIVE,
        PAUSED,
        DISABLED
    }

    public enum Format {
        STANDARD_WEBHOOKS,
        CLOUDEVENTS_BINARY,
        CLOUDEVENTS_STRUCTURED
    }

    public String id;

    public String name;

    public String topicPattern;

    public Kind kind;

    public State state;

    public String queueName;

    /** The filter as JSON text; null matches every event of the topic. */
    public String filter;

    public String webhookUrl;

    public String webhookSecret;

    /** Extra request headers as a JSON object. */
    public String webhookHeaders;

    public Integer webhookTimeoutMs;

    public String webhookPreviousSecret;

    public Instant webhookPreviousSecretExpires;

    public Format webhookFormat = Format.STANDARD_WEBHOOKS;

    /** Endpoint authentication and mutual TLS settings that may be shown, as JSON ({@link WebhookCredentials}). */
    public String webhookAuth;

    /** Their secrets, sealed by {@link io.herald.platform.SecretBox}; never shown. */
    public String webhookCredentials;

    /** An engine destination's settings as a JSON object (NATS, Redis, Kafka, SQS); null for webhooks and queues. */
    public String destination;

    /** A JSONata expression applied to each event before delivery (io.herald.transform); null delivers events as they are. */
    public String transformation;

    /** Events of one key are delivered one at a time in acceptance order (ADR 0022). */
    public boolean ordered;

    /** Where the ordering key comes from: an attribute name or a JSON pointer into the data; null: partitionkey. */
    public String orderingKey;

    /** Comma-separated ISO-8601 delays; null uses herald.delivery.retry-schedule. */
    public String retrySchedule;

    /** Requests in flight per instance; null uses herald.delivery.max-in-flight. */
    public Integer maxInFlight;

    /** Deliveries per second per instance; null: no cap. */
    public Integer maxPerSecond;

    public int consecutiveFailures;

    public Instant failingSince;

    public String disabledReason;

    public Instant createdAt;

    public Instant updatedAt;

    /** Raised by every update: a writer that read an older version is refused (409). */
    public long version;

    public static String queueFor(String subscriptionId) {
        return "herald.sub." + subscriptionId;
    }
}
