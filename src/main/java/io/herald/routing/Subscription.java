package io.herald.routing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** Who receives a topic's events, through one durable queue of its own ({@link #queueName}). */
@Entity
@Table(name = "subscriptions")
public class Subscription extends PanacheEntityBase {
    public enum Kind { WEBHOOK, QUEUE }

    public enum State { ACTIVE, PAUSED, DISABLED }

    public enum Format { STANDARD_WEBHOOKS, CLOUDEVENTS_BINARY, CLOUDEVENTS_STRUCTURED }

    @Id
    public String id;

    public String name;

    @Column(name = "topic_pattern", nullable = false)
    public String topicPattern;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "queue_name", nullable = false)
    public String queueName;

    /** The filter as JSON text; null matches every event of the topic. */
    public String filter;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "webhook_secret")
    public String webhookSecret;

    /** Extra request headers as a JSON object. */
    @Column(name = "webhook_headers")
    public String webhookHeaders;

    @Column(name = "webhook_timeout_ms")
    public Integer webhookTimeoutMs;

    @Column(name = "webhook_previous_secret")
    public String webhookPreviousSecret;

    @Column(name = "webhook_previous_secret_expires")
    public Instant webhookPreviousSecretExpires;

    @Enumerated(EnumType.STRING)
    @Column(name = "webhook_format", nullable = false)
    public Format webhookFormat = Format.STANDARD_WEBHOOKS;

    /** Comma-separated ISO-8601 delays; null uses herald.delivery.retry-schedule. */
    @Column(name = "retry_schedule")
    public String retrySchedule;

    /** Requests in flight per instance; null uses herald.delivery.max-in-flight. */
    @Column(name = "max_in_flight")
    public Integer maxInFlight;

    /** Deliveries per second per instance; null: no cap. */
    @Column(name = "max_per_second")
    public Integer maxPerSecond;

    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public static String queueFor(String subscriptionId) {
        return "herald.sub." + subscriptionId;
    }
}
