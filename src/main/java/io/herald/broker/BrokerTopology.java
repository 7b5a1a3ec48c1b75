package io.herald.broker;

import io.vertx.amqp.AmqpConnection;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The seam between Herald and one broker flavour. Brokers differ in how a queue comes to exist: RabbitMQ creates a
 * missing queue with the durability of the first link that attaches (and drops messages sent to {@code /amq/queue/}
 * of a missing one), Artemis auto-creates multicast addresses that drop messages nobody listens to. So every queue
 * is declared, durable and with its dead-letter queue, before any link attaches, and addressed the flavour's way.
 */
public interface BrokerTopology {

    /** Deliveries a queue consumer may fail (release or crash) before the broker dead-letters the message. */
    int MAX_DELIVERY_ATTEMPTS = 10;

    BrokerFlavour flavour();

    /**
     * Declares {@code queue} and {@link #deadLetterQueue(String) its dead-letter queue} as durable queues, the first
     * dead-lettering into the second. Idempotent.
     *
     * @param connection Herald's open AMQP 1.0 connection, for flavours managed over AMQP itself
     */
    Future<Void> declareQueue(AmqpConnection connection, String queue);

    /** What {@code queue} holds and how many consumers read it; empty when the broker has no such queue. */
    Future<Optional<QueueState>> inspect(AmqpConnection connection, String queue);

    /**
     * Deletes {@code queue} and its dead-letter queue, with whatever they hold. Succeeds when they are already gone, so
     * that a deletion the broker finished after Herald stopped waiting can be retried.
     */
    Future<Void> deleteQueue(AmqpConnection connection, String queue);

    /**
     * @param messages  ready in the queue (not counting ones delivered and not yet settled, where the broker cannot tell)
     * @param consumers links receiving from it
     */
    record QueueState(long messages, int consumers) {}

    /** The AMQP 1.0 link address of an existing queue: senders and receivers attach to this. */
    String address(String queue);

    /** Releases whatever the topology holds besides the AMQP connection. */
    default void close() {}

    static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }
}
