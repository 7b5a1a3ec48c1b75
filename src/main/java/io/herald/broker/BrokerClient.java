package io.herald.broker;

import io.herald.broker.amqp10.Amqp10Connection;
import io.herald.broker.rabbitmq.RabbitMqConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Herald's connection to the broker: AMQP 0-9-1 to RabbitMQ (its own protocol, unless
 * {@code herald.broker.rabbitmq-protocol} says otherwise), AMQP 1.0 to Artemis (ADR 0015). It reconnects by itself
 * after any loss; while it is down, {@link #isConnected()} is false and readiness reports the broker DOWN. On top of
 * the wire, it keeps deleted queues deleted.
 */
@Singleton
public class BrokerClient {
    /** After the embedded broker (priority 10), before anything that sends. */
    public static final int STARTUP_PRIORITY = 20;

    private final BrokerTopology topology;
    private final BrokerConnection connection;
    /**
     * Queues being (or having been) deleted: no sender or receiver declares them again, which would leave a queue no
     * subscription owns (a late hand-off of the relay, say). Queue names are never reused, so a deleted one stays here;
     * a failed deletion leaves the set.
     */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    BrokerClient(Vertx vertx, BrokerConfig config, BrokerTopology topology) {
        this.topology = topology;
        this.connection = speaksAmqp091(config)
                ? new RabbitMqConnection(config, topology)
                : new Amqp10Connection(vertx, config, topology);
    }

    private static boolean speaksAmqp091(BrokerConfig config) {
        if (config.isEmbedded() || config.flavour() != BrokerFlavour.RABBITMQ) {
            return false;
        }
        return switch (config.rabbitmqProtocol()) {
            case BrokerConfig.AMQP_0_9_1 -> true;
            case BrokerConfig.AMQP_1_0 -> false;
            default ->
                throw new IllegalArgumentException("herald.broker.rabbitmq-protocol must be " + BrokerConfig.AMQP_0_9_1
                        + " or " + BrokerConfig.AMQP_1_0 + ", not " + config.rabbitmqProtocol());
        };
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        connection.start();
    }

    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        connection.stop();
        topology.close();
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    public long generation() {
        return connection.generation();
    }

    /** Why the broker is not connected, for health and logs. */
    public String lastFailure() {
        return connection.lastFailure();
    }

    public BrokerTopology topology() {
        return topology;
    }

    /** Declares the queue if needed and returns the (cached) sender for it. */
    public Future<QueueSender> sender(String queue) {
        return sender(queue, queue);
    }

    /**
     * A sender to {@code queue}'s dead-letter queue. It is declared with its queue (declaring it as a queue of its
     * own would give it other arguments, which RabbitMQ refuses).
     */
    public Future<QueueSender> deadLetterSender(String queue) {
        return sender(queue, BrokerTopology.deadLetterQueue(queue));
    }

    private Future<QueueSender> sender(String declared, String target) {
        if (deleted.contains(declared)) {
            return Future.failedFuture(deletedQueue(declared));
        }
        return connection.sender(declared, target);
    }

    /** Declares {@code queue} and its dead-letter queue (idempotent). */
    public Future<Void> declare(String queue) {
        return connection.declare(queue);
    }

    /** Messages ready in {@code queue}; none when it does not exist. */
    public Future<Long> messageCount(String queue) {
        return inspect(queue)
                .map(state -> state.map(BrokerTopology.QueueState::messages).orElse(0L));
    }

    /** What {@code queue} holds and how many consumers read it; empty when it does not exist. */
    public Future<Optional<BrokerTopology.QueueState>> inspect(String queue) {
        return connection.inspect(queue);
    }

    /** Deletes {@code queue} and its dead-letter queue with their messages; done when they are already gone. */
    public Future<Void> delete(String queue) {
        deleted.add(queue);
        connection.forgetSender(queue);
        connection.forgetSender(BrokerTopology.deadLetterQueue(queue));
        return connection.delete(queue).onFailure(e -> deleted.remove(queue));
    }

    /**
     * Declares the queue if needed and receives from it, never handing {@code handler} more than the room the reader
     * gives ({@link QueueReceiver#room}), at most {@code window}.
     */
    public Future<QueueReceiver> receiver(String queue, int window, Handler<QueueReceiver.Delivered> handler) {
        if (deleted.contains(queue)) {
            return Future.failedFuture(deletedQueue(queue));
        }
        return connection.receiver(queue, window, handler);
    }

    private static BrokerUnavailableException deletedQueue(String queue) {
        return new BrokerUnavailableException("Queue " + queue + " is deleted");
    }
}
