package io.herald.bench.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What consumers see during a fault run: a webhook sink with one healthy endpoint and one whose behaviour a fault
 * switches, and an AMQP 0-9-1 consumer of a queue subscription. Each counts the events it got, by CloudEvents id.
 */
final class Observers implements AutoCloseable {
    /** How the switchable endpoint answers. */
    enum Mode {
        OK,
        HANG,
        ERROR,
        RESET
    }

    final Map<String, AtomicInteger> healthy = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> switchable = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    volatile Mode mode = Mode.OK;

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private Connection connection;

    Observers(int port) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(this::answer)
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest request) {
        String id = request.getHeader("ce-id");
        if (request.path().equals("/healthy")) {
            count(healthy, id);
            request.response().setStatusCode(200).end();
            return;
        }
        switch (mode) {
            case OK -> {
                count(switchable, id);
                request.response().setStatusCode(200).end();
            }
            case HANG -> {
                // Never answered: Herald's timeout ends the attempt.
            }
            case ERROR -> request.response().setStatusCode(500).end("failing on purpose");
            case RESET -> request.connection().close();
        }
    }

    /** Consumes the queue {@code queue} in {@code virtualHost}, acknowledging each message. */
    void consume(String host, int port, String user, String password, String virtualHost, String queue)
            throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setAutomaticRecoveryEnabled(true); // a consumer that comes back after a broker outage, as users run
        factory.setNetworkRecoveryInterval(1000);
        connection = factory.newConnection("herald-faults-consumer");
        Channel channel = connection.createChannel();
        channel.basicQos(500);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                    String tag, Envelope envelope, com.rabbitmq.client.AMQP.BasicProperties properties, byte[] body)
                    throws java.io.IOException {
                Object id = properties.getHeaders() == null
                        ? null
                        : properties.getHeaders().get("cloudEvents_id");
                count(queued, id == null ? null : id.toString());
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    private static void count(Map<String, AtomicInteger> counts, String id) {
        if (id != null) {
            counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.abort();
        }
        server.close();
        vertx.close();
    }
}
