package io.herald.routing;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * The engines subscriptions may deliver to, by connection name, set by the operator: a subscription names a connection,
 * never a host (ADR 0019). Documented in the README's configuration table.
 */
@ConfigMapping(prefix = "herald.destinations")
public interface DestinationConfig {
    /** NATS servers with JetStream: {@code herald.destinations.nats.<name>.url}. */
    Map<String, Connection> nats();

    /** Redis servers: {@code herald.destinations.redis.<name>.url}. */
    Map<String, Connection> redis();

    /**
     * Kafka clusters: {@code herald.destinations.kafka.<name>.url} (the bootstrap servers, {@code host:9092,...}) and
     * any producer property under {@code .properties} (TLS, SASL: {@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...).
     */
    Map<String, KafkaConnection> kafka();

    interface Connection {
        /**
         * NATS: {@code nats://[user:password@]host:4222}, several servers comma-separated, {@code tls://} for TLS.
         * Redis: {@code redis://[[user]:password@]host:6379[/db]}, {@code rediss://} for TLS.
         */
        String url();
    }

    interface KafkaConnection extends Connection {
        /** Producer properties over Herald's own (which keep acks=all and idempotence). */
        Map<String, String> properties();
    }
}
