package io.herald.broker;

import io.vertx.core.Vertx;

/** Opens a broker client of its own, as another Herald instance would hold. */
public final class BrokerClients {
    private BrokerClients() {}

    public static BrokerClient open(Vertx vertx, BrokerConfig config, BrokerTopology topology) {
        BrokerClient client = new BrokerClient(vertx, config, topology);
        client.onStart(null);
        return client;
    }

    public static void close(BrokerClient client) {
        client.onStop(null);
    }
}
