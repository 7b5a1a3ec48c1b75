package io.herald.broker;

/** The AMQP 1.0 brokers Herald knows how to declare queues on. Adding one is adding a {@link BrokerTopology}. */
public enum BrokerFlavour {
    ARTEMIS,
    RABBITMQ
}
