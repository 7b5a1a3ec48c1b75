package io.herald.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.KafkaSettings;
import io.herald.routing.SubscriptionDtos.NatsSettings;
import io.herald.routing.SubscriptionDtos.RedisSettings;
import io.herald.routing.SubscriptionDtos.SqsSettings;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeSet;

/**
 * The settings of subscriptions delivered to an engine (NATS JetStream, Redis Streams, Kafka): what makes them valid,
 * how they are stored (the {@code destination} column, JSON; the limits in their own columns) and shown.
 */
@Singleton
class DestinationSettings {
    static final String DEFAULT_CONNECTION = "default";
    static final long MAX_STREAM_LENGTH = 1_000_000_000L;

    private final DestinationConfig config;
    private final ObjectMapper json;

    DestinationSettings(DestinationConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** A new subscription's engine settings: required for its kind, refused on any other. */
    void checkNew(Subscription.Kind kind, SubscriptionIn in, Violations violations) {
        onlyOnItsKind(kind, in.nats(), in.redis(), in.kafka(), in.sqs(), violations);
        if (kind == Subscription.Kind.NATS) {
            required(in.nats(), "/nats", "{\"subject\": \"events.{type}\"}", violations);
            if (in.nats() != null) {
                check(in.nats(), true, violations);
            }
        } else if (kind == Subscription.Kind.REDIS) {
            required(in.redis(), "/redis", "{\"stream\": \"herald:{topic}\"}", violations);
            if (in.redis() != null) {
                check(in.redis(), true, violations);
            }
        } else if (kind == Subscription.Kind.KAFKA) {
            required(in.kafka(), "/kafka", "{\"topic\": \"orders\"}", violations);
            if (in.kafka() != null) {
                check(in.kafka(), true, violations);
            }
        } else if (kind == Subscription.Kind.SQS) {
            required(
                    in.sqs(),
                    "/sqs",
                    "{\"queueUrl\": \"https://sqs.eu-west-1.amazonaws.com/123456789012/orders\"}",
                    violations);
            if (in.sqs() != null) {
                check(in.sqs(), true, violations);
            }
        }
    }

    /** A change of an existing subscription's engine settings. */
    void checkChange(Subscription.Kind kind, SubscriptionPatch patch, Violations violations) {
        onlyOnItsKind(kind, patch.nats(), patch.redis(), patch.kafka(), patch.sqs(), violations);
        if (patch.nats() != null && kind == Subscription.Kind.NATS) {
            check(patch.nats(), false, violations);
        }
        if (patch.redis() != null && kind == Subscription.Kind.REDIS) {
            check(patch.redis(), false, violations);
        }
        if (patch.kafka() != null && kind == Subscription.Kind.KAFKA) {
            check(patch.kafka(), false, violations);
        }
        if (patch.sqs() != null && kind == Subscription.Kind.SQS) {
            check(patch.sqs(), false, violations);
        }
    }

    /** Stores the engine settings given (checked before). */
    void apply(
            Subscription subscription, NatsSettings nats, RedisSettings redis, KafkaSettings kafka, SqsSettings sqs) {
        if (sqs != null) {
            apply(subscription, sqs);
        }
        if (nats != null) {
            apply(subscription, nats);
        }
        if (redis != null) {
            apply(subscription, redis);
        }
        if (kafka != null) {
            apply(subscription, kafka);
        }
    }

    private static void required(Object settings, String pointer, String example, Violations violations) {
        if (settings == null) {
            violations.add(pointer, "is required for a " + pointer.substring(1) + " subscription: " + example);
        }
    }

    private static void onlyOnItsKind(
            Subscription.Kind kind, Object nats, Object redis, Object kafka, Object sqs, Violations violations) {
        if (kind == null) {
            return;
        }
        if (nats != null && kind != Subscription.Kind.NATS) {
            violations.add("/nats", "only nats subscriptions have nats settings");
        }
        if (redis != null && kind != Subscription.Kind.REDIS) {
            violations.add("/redis", "only redis subscriptions have redis settings");
        }
        if (kafka != null && kind != Subscription.Kind.KAFKA) {
            violations.add("/kafka", "only kafka subscriptions have kafka settings");
        }
        if (sqs != null && kind != Subscription.Kind.SQS) {
            violations.add("/sqs", "only sqs subscriptions have sqs settings");
        }
    }

    void check(KafkaSettings kafka, boolean creating, Violations violations) {
        checkConnection(kafka.connection(), config.kafka(), "/kafka/connection", "kafka", violations);
        if (kafka.topic() != null || creating) {
            String problem = DestinationTemplate.problem(kafka.topic(), 249);
            if (problem == null
                    && !DestinationTemplate.isKafkaTopic(DestinationTemplate.render(kafka.topic(), "t", "t"))) {
                problem = "must be a Kafka topic name (letters, digits, '.', '_', '-'), such as orders.{type}";
            }
            if (problem != null) {
                violations.add("/kafka/topic", problem);
            }
        }
        if (kafka.key() != null) {
            String problem = keyProblem(kafka.key());
            if (problem != null) {
                violations.add("/kafka/key", problem);
            }
        }
        DeliveryLimits.check(kafka, "/kafka", violations);
    }

    void check(SqsSettings sqs, boolean creating, Violations violations) {
        String name = sqs.connection() == null ? DEFAULT_CONNECTION : sqs.connection();
        checkConnection(name, config.sqs(), "/sqs/connection", "sqs", violations);
        if (sqs.queueUrl() != null || creating) {
            String problem = queueUrlProblem(sqs.queueUrl(), config.sqs().get(name));
            if (problem != null) {
                violations.add("/sqs/queueUrl", problem);
            }
        }
        if (sqs.groupKey() != null) {
            String problem = keyProblem(sqs.groupKey());
            if (problem != null) {
                violations.add("/sqs/groupKey", problem);
            }
        }
        DeliveryLimits.check(sqs, "/sqs", violations);
    }

    /**
     * A queue URL of the connection's own service: its endpoint's host, or AWS's SQS hosts of its region. Requests go
     * out signed with the connection's credentials, so a URL must not send them anywhere else.
     */
    private static String queueUrlProblem(String url, DestinationConfig.SqsConnection connection) {
        if (url == null || url.isBlank()) {
            return "is required: the queue's URL, such as https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (uri.getHost() == null || !path.matches("/[^/]+/[A-Za-z0-9_-]{1,75}(\\.fifo)?")) {
            return "must be a queue URL: <endpoint>/<account id>/<queue name>";
        }
        if (connection == null) {
            return null; // the connection is refused already
        }
        java.util.Set<String> hosts = connection.endpoint().isPresent()
                ? java.util.Set.of(String.valueOf(
                        java.net.URI.create(connection.endpoint().get()).getHost()))
                : java.util.Set.of(
                        "sqs." + connection.region() + ".amazonaws.com", connection.region() + ".queue.amazonaws.com");
        return hosts.contains(uri.getHost())
                ? null
                : "must be on the connection's SQS service (" + new TreeSet<>(hosts) + "), not " + uri.getHost();
    }

    void apply(Subscription subscription, SqsSettings sqs) {
        ObjectNode stored = stored(subscription);
        put(stored, "connection", sqs.connection());
        put(stored, "queueUrl", sqs.queueUrl());
        put(stored, "groupKey", sqs.groupKey());
        stored.putIfAbsent("connection", json.getNodeFactory().textNode(DEFAULT_CONNECTION));
        subscription.destination = stored.toString();
        DeliveryLimits.apply(subscription, sqs);
    }

    SqsSettings sqs(Subscription subscription) {
        ObjectNode stored = stored(subscription);
        return new SqsSettings(
                stored.path("connection").asText(),
                stored.path("queueUrl").asText(),
                stored.hasNonNull("groupKey") ? stored.get("groupKey").asText() : null,
                DeliveryLimits.schedule(subscription),
                subscription.maxInFlight,
                subscription.maxPerSecond);
    }

    /** A key is a CloudEvents attribute name, or a JSON pointer into the data. */
    static String keyProblem(String key) {
        if (key.startsWith("/")) {
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(key);
                return key.length() > 256 ? "must be at most 256 characters" : null;
            } catch (IllegalArgumentException e) {
                return "is not a JSON pointer: " + e.getMessage();
            }
        }
        return key.matches("[a-z0-9]{1,20}")
                ? null
                : "must be a CloudEvents attribute name (a-z, 0-9: subject, partitionkey, ...) or a JSON pointer into "
                        + "the data such as /customerId";
    }

    void apply(Subscription subscription, KafkaSettings kafka) {
        ObjectNode stored = stored(subscription);
        put(stored, "connection", kafka.connection());
        put(stored, "topic", kafka.topic());
        put(stored, "key", kafka.key());
        stored.putIfAbsent("connection", json.getNodeFactory().textNode(DEFAULT_CONNECTION));
        subscription.destination = stored.toString();
        DeliveryLimits.apply(subscription, kafka);
    }

    KafkaSettings kafka(Subscription subscription) {
        ObjectNode stored = stored(subscription);
        return new KafkaSettings(
                stored.path("connection").asText(),
                stored.path("topic").asText(),
                stored.hasNonNull("key") ? stored.get("key").asText() : null,
                DeliveryLimits.schedule(subscription),
                subscription.maxInFlight,
                subscription.maxPerSecond);
    }

    void check(NatsSettings nats, boolean creating, Violations violations) {
        checkConnection(nats.connection(), config.nats(), "/nats/connection", "nats", violations);
        if (nats.subject() != null || creating) {
            String problem = DestinationTemplate.problem(nats.subject(), 256);
            if (problem == null
                    && !DestinationTemplate.isNatsSubject(DestinationTemplate.render(nats.subject(), "t", "t"))) {
                problem = "must be a NATS subject to publish to: dot-separated tokens without spaces or wildcards "
                        + "(* and >), such as events.{type}";
            }
            if (problem != null) {
                violations.add("/nats/subject", problem);
            }
        }
        DeliveryLimits.check(nats, "/nats", violations);
    }

    void check(RedisSettings redis, boolean creating, Violations violations) {
        checkConnection(redis.connection(), config.redis(), "/redis/connection", "redis", violations);
        if (redis.stream() != null || creating) {
            String problem = DestinationTemplate.problem(redis.stream(), 512);
            if (problem != null) {
                violations.add("/redis/stream", problem);
            }
        }
        if (redis.maxLen() != null && (redis.maxLen() < 1 || redis.maxLen() > MAX_STREAM_LENGTH)) {
            violations.add("/redis/maxLen", "must be between 1 and " + MAX_STREAM_LENGTH);
        }
        DeliveryLimits.check(redis, "/redis", violations);
    }

    private static void checkConnection(
            String name, Map<String, ?> configured, String pointer, String engine, Violations violations) {
        String wanted = name == null ? DEFAULT_CONNECTION : name;
        if (!configured.containsKey(wanted)) {
            violations.add(
                    pointer,
                    configured.isEmpty()
                            ? "no " + engine + " connection is configured on this Herald (herald.destinations." + engine
                                    + ".<name>.url)"
                            : "'" + wanted + "' is not a configured " + engine + " connection: "
                                    + new TreeSet<>(configured.keySet()));
        }
    }

    /** Stores the settings given over the stored ones ({@code stored} null on creation). */
    void apply(Subscription subscription, NatsSettings nats) {
        ObjectNode stored = stored(subscription);
        put(stored, "connection", nats.connection());
        put(stored, "subject", nats.subject());
        stored.putIfAbsent("connection", json.getNodeFactory().textNode(DEFAULT_CONNECTION));
        subscription.destination = stored.toString();
        DeliveryLimits.apply(subscription, nats);
    }

    void apply(Subscription subscription, RedisSettings redis) {
        ObjectNode stored = stored(subscription);
        put(stored, "connection", redis.connection());
        put(stored, "stream", redis.stream());
        if (redis.maxLen() != null) {
            stored.put("maxLen", redis.maxLen());
        }
        stored.putIfAbsent("connection", json.getNodeFactory().textNode(DEFAULT_CONNECTION));
        subscription.destination = stored.toString();
        DeliveryLimits.apply(subscription, redis);
    }

    NatsSettings nats(Subscription subscription) {
        ObjectNode stored = stored(subscription);
        return new NatsSettings(
                stored.path("connection").asText(),
                stored.path("subject").asText(),
                DeliveryLimits.schedule(subscription),
                subscription.maxInFlight,
                subscription.maxPerSecond);
    }

    RedisSettings redis(Subscription subscription) {
        ObjectNode stored = stored(subscription);
        return new RedisSettings(
                stored.path("connection").asText(),
                stored.path("stream").asText(),
                stored.hasNonNull("maxLen") ? stored.get("maxLen").asLong() : null,
                DeliveryLimits.schedule(subscription),
                subscription.maxInFlight,
                subscription.maxPerSecond);
    }

    private ObjectNode stored(Subscription subscription) {
        try {
            return subscription.destination == null
                    ? json.createObjectNode()
                    : (ObjectNode) json.readTree(subscription.destination);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored destination settings are not JSON", e);
        }
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
