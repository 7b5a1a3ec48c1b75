package io.herald.broker;

import io.herald.broker.artemis.ArtemisTopology;
import io.herald.broker.rabbitmq.RabbitMqTopology;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Picks the topology of the configured flavour; the embedded broker is Artemis. */
public class BrokerTopologyProducer {

    @Produces
    @Singleton
    BrokerTopology topology(Vertx vertx, BrokerConfig config) {
        BrokerFlavour flavour = config.isEmbedded() ? BrokerFlavour.ARTEMIS : config.flavour();
        return switch (flavour) {
            case ARTEMIS -> new ArtemisTopology();
            case RABBITMQ -> new RabbitMqTopology(vertx, config);
        };
    }
}
