package io.herald.testing;

import io.herald.broker.BrokerConfig;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A consumer of its own, on its own AMQP 1.0 connection, reading a queue the way a user's client would. Messages
 * are settled by the test: accepted, rejected, or left to the broker.
 */
public final class TestAmqpConsumer implements AutoCloseable {
    private final AmqpClient client;
    private final AmqpConnection connection;

    private TestAmqpConsumer(AmqpClient client, AmqpConnection connection) {
        this.client = client;
        this.connection = connection;
    }

    public static TestAmqpConsumer connect(Vertx vertx, BrokerConfig config) {
        AmqpClientOptions options =
                new AmqpClientOptions().setHost(config.connectHost()).setPort(config.connectPort());
        config.user().ifPresent(options::setUsername);
        config.password().ifPresent(options::setPassword);
        if (!config.isEmbedded() && !"/".equals(config.virtualHost())) {
            options.setConnectionHostname("vhost:" + config.virtualHost());
        }
        AmqpClient client = AmqpClient.create(vertx, options);
        return new TestAmqpConsumer(client, await(client.connect().toCompletionStage()));
    }

    /** Receives up to one message within the timeout and settles it with {@code settle}; null if none came. */
    public AmqpMessage receiveOne(String address, Duration timeout, Consumer<AmqpMessage> settle) {
        BlockingQueue<AmqpMessage> received = new LinkedBlockingQueue<>();
        var receiver = await(connection
                .createReceiver(
                        address,
                        new AmqpReceiverOptions().setAutoAcknowledgement(false).setMaxBufferedMessages(1))
                .toCompletionStage());
        receiver.handler(message -> {
            if (received.isEmpty()) {
                settle.accept(message);
                received.add(message);
            } else {
                message.modified(false, false);
            }
        });
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            // Not awaited: RabbitMQ 3.10 does not always answer a receiver's detach; closing the connection at the end
            // releases the link either way.
            receiver.close();
        }
    }

    /** Attaches a receiver that only sits on the queue: a consumer the broker counts, standing for another instance's lane. */
    public void attach(String address) {
        var receiver = await(connection
                .createReceiver(
                        address,
                        new AmqpReceiverOptions().setAutoAcknowledgement(false).setMaxBufferedMessages(1))
                .toCompletionStage());
        receiver.pause();
    }

    @Override
    public void close() {
        await(connection.close().toCompletionStage());
        await(client.close().toCompletionStage());
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    }
}
