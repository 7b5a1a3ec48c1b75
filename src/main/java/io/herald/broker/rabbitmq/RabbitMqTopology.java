package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.broker.BrokerConfig;
import io.herald.broker.BrokerFlavour;
import io.herald.broker.BrokerTopology;
import io.vertx.amqp.AmqpConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * RabbitMQ with its AMQP 1.0 plugin. AMQP 1.0 links there cannot declare a queue safely (a missing queue is created
 * with the first link's durability, or messages to it are dropped), so queues are declared over AMQP 0-9-1 on the
 * same port, durable, dead-lettering through the default exchange into their dead-letter queue, and then addressed
 * as {@code /amq/queue/<name>}.
 */
public class RabbitMqTopology implements BrokerTopology {
    private final Vertx vertx;
    private final BrokerConfig config;
    private Connection declarations;

    public RabbitMqTopology(Vertx vertx, BrokerConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public BrokerFlavour flavour() {
        return BrokerFlavour.RABBITMQ;
    }

    @Override
    public String address(String queue) {
        return "/amq/queue/" + queue;
    }

    @Override
    public Future<Void> declareQueue(AmqpConnection ignored, String queue) {
        return vertx.executeBlocking(
                () -> {
                    declare(queue);
                    return null;
                },
                false);
    }

    @Override
    public Future<Optional<QueueState>> inspect(AmqpConnection ignored, String queue) {
        return vertx.executeBlocking(
                () -> {
                    Channel channel = connection().createChannel();
                    try {
                        AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
                        return Optional.of(new QueueState(declared.getMessageCount(), declared.getConsumerCount()));
                    } catch (IOException e) {
                        if (notFound(e)) {
                            return Optional.<QueueState>empty();
                        }
                        throw e;
                    } finally {
                        RabbitMqClients.closeQuietly(channel); // a 404 has closed it already
                    }
                },
                false);
    }

    /** Deleting a queue that does not exist succeeds in RabbitMQ (queue.delete is idempotent there). */
    @Override
    public Future<Void> deleteQueue(AmqpConnection ignored, String queue) {
        return vertx.executeBlocking(
                () -> {
                    try (Channel channel = connection().createChannel()) {
                        channel.queueDelete(queue);
                        channel.queueDelete(BrokerTopology.deadLetterQueue(queue));
                    }
                    return null;
                },
                false);
    }

    private static boolean notFound(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.NOT_FOUND;
    }

    private void declare(String queue) throws IOException, TimeoutException {
        String deadLetterQueue = BrokerTopology.deadLetterQueue(queue);
        try (Channel channel = connection().createChannel()) {
            channel.queueDeclare(
                    deadLetterQueue, true, false, false, deadLetterQueueArguments(config.rabbitmqQueueType()));
            channel.queueDeclare(
                    queue, true, false, false, queueArguments(config.rabbitmqQueueType(), deadLetterQueue));
        }
    }

    /** The arguments a subscription queue is declared with; RabbitMQ refuses a re-declaration with others. */
    public static Map<String, Object> queueArguments(String queueType, String deadLetterQueue) {
        Map<String, Object> arguments = new java.util.HashMap<>(deadLetterQueueArguments(queueType));
        arguments.put("x-dead-letter-exchange", "");
        arguments.put("x-dead-letter-routing-key", deadLetterQueue);
        if ("quorum".equals(queueType)) {
            // Classic queues have no delivery limit: a message a consumer keeps failing is redelivered forever.
            arguments.put("x-delivery-limit", MAX_DELIVERY_ATTEMPTS);
        }
        return Map.copyOf(arguments);
    }

    public static Map<String, Object> deadLetterQueueArguments(String queueType) {
        return Map.of("x-queue-type", queueType);
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (declarations == null || !declarations.isOpen()) {
            declarations = RabbitMqClients.connectionFactory(config).newConnection("herald-topology");
        }
        return declarations;
    }

    @Override
    public synchronized void close() {
        if (declarations != null && declarations.isOpen()) {
            try {
                declarations.close(2000);
            } catch (IOException | RuntimeException ignored) {
                // Closing on shutdown: nothing left to protect.
            }
        }
    }
}
