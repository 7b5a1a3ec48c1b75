package io.herald.broker;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the AMQP 1.0 broker is. Without {@code herald.broker.host} Herald runs its embedded Artemis.
 * Every key is documented in the README's configuration table.
 */
@ConfigMapping(prefix = "herald.broker")
public interface BrokerConfig {

    /** Which broker the external host runs: {@code artemis} or {@code rabbitmq}. */
    @WithDefault("artemis")
    BrokerFlavour flavour();

    /** Host of an external broker; absent means the embedded Artemis. */
    Optional<String> host();

    @WithDefault("5672")
    int port();

    Optional<String> user();

    Optional<String> password();

    /** AMQP over TLS (amqps) to the external broker. */
    @WithDefault("false")
    boolean tls();

    /** RabbitMQ virtual host. */
    @WithDefault("/")
    String virtualHost();

    /**
     * RabbitMQ queue type for subscription queues: {@code quorum} (replicated; the production choice) or
     * {@code classic}.
     */
    @WithDefault("quorum")
    String rabbitmqQueueType();

    /**
     * How Herald speaks to RabbitMQ: {@code amqp-0-9-1} (RabbitMQ's own protocol, the default) or {@code amqp-1.0}
     * (through its plugin). Queue consumers may use either whatever Herald speaks (ADR 0015).
     */
    @WithDefault(AMQP_0_9_1)
    String rabbitmqProtocol();

    String AMQP_0_9_1 = "amqp-0-9-1";
    String AMQP_1_0 = "amqp-1.0";

    /** How long declaring a queue or attaching a link may take before it counts as failed. */
    @WithDefault("10s")
    Duration operationTimeout();

    /** Longest pause between two attempts to reconnect to the broker. */
    @WithDefault("5s")
    Duration maxReconnectDelay();

    Embedded embedded();

    interface Embedded {
        /** Interface the embedded broker's AMQP acceptor binds. */
        @WithDefault("127.0.0.1")
        String host();

        /** Port of the embedded broker's AMQP acceptor; not 5672, which a local RabbitMQ often holds. */
        @WithDefault("5673")
        int port();

        /**
         * Share of the JVM's maximum heap in which the embedded broker keeps queued messages; beyond it, it pages
         * them to its data directory. It shares the heap with Herald, and Artemis wants a heap at least five times
         * this size, so the default is a fifth (Artemis's own default, half, leaves Herald too little under a backlog).
         */
        @WithDefault("20")
        int memoryPercent();

        /**
         * Bytes of one queue's messages the embedded broker keeps on the heap; beyond it, that queue's further messages
         * are paged to disk. Without it, a queue nobody reads would fill the shared share above and push every queue,
         * the busy ones too, into paging.
         */
        @WithDefault("8M")
        MemorySize queueMemory();
    }

    default boolean isEmbedded() {
        return host().isEmpty();
    }

    /** The host and port Herald's own client connects to. */
    default String connectHost() {
        return host().orElse(embedded().host());
    }

    default int connectPort() {
        return isEmbedded() ? embedded().port() : port();
    }
}
