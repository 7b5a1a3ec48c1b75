package io.herald.routing;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

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

    /** Amazon SQS, or an SQS-compatible server: {@code herald.destinations.sqs.<name>.region} and the rest below. */
    Map<String, SqsConnection> sqs();

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

    interface SqsConnection {
        /** The AWS region, e.g. {@code eu-west-1}. */
        String region();

        /** Another endpoint than AWS's for the region (a VPC endpoint, an SQS-compatible server). */
        Optional<String> endpoint();

        /** With {@link #secretAccessKey()}: static credentials; without, the AWS SDK's default provider chain. */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();
    }
}
