package io.herald.bench.faults;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The network between one instance and the broker, as a TCP relay on loopback that can be cut: while cut, nothing
 * moves either way on the open connections (both sides stop reading, so bytes wait as behind a partition, no reset
 * is sent) and new connections are accepted but not carried on. Restored, everything flows again; what a side gave up
 * on meanwhile (RabbitMQ's and the client's heartbeats) stays given up.
 */
final class BrokerLink implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final String brokerHost;
    private final int brokerPort;
    private final NetServer server;
    private final List<NetSocket[]> pairs = new CopyOnWriteArrayList<>();
    private final List<NetSocket> held = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    BrokerLink(int port, String brokerHost, int brokerPort) throws Exception {
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        this.server = vertx.createNetServer()
                .connectHandler(this::accepted)
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private void accepted(NetSocket client) {
        client.pause();
        client.closeHandler(v -> held.remove(client));
        if (cut) {
            held.add(client);
        } else {
            carry(client);
        }
    }

    private void carry(NetSocket client) {
        vertx.createNetClient()
                .connect(brokerPort, brokerHost)
                .onSuccess(broker -> {
                    NetSocket[] pair = {client, broker};
                    pairs.add(pair);
                    client.handler(broker::write);
                    broker.handler(client::write);
                    client.closeHandler(v -> {
                        broker.close();
                        pairs.remove(pair);
                    });
                    broker.closeHandler(v -> client.close());
                    if (cut) {
                        broker.pause();
                    } else {
                        client.resume();
                    }
                })
                .onFailure(e -> client.close());
    }

    void cut() {
        cut = true;
        for (NetSocket[] pair : pairs) {
            pair[0].pause();
            pair[1].pause();
        }
    }

    void restore() {
        cut = false;
        for (NetSocket[] pair : pairs) {
            pair[0].resume();
            pair[1].resume();
        }
        for (NetSocket client : held) {
            held.remove(client);
            carry(client);
        }
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
