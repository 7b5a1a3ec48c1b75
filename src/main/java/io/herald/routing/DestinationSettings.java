package io.herald.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.NatsSettings;
import io.herald.routing.SubscriptionDtos.RedisSettings;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeSet;

/**
 * The settings of subscriptions delivered to an engine (NATS JetStream, Redis Streams): what makes them valid, how
 * they are stored (the {@code destination} column, JSON; the limits in their own columns) and shown.
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
            String name,
            Map<String, DestinationConfig.Connection> configured,
            String pointer,
            String engine,
            Violations violations) {
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
