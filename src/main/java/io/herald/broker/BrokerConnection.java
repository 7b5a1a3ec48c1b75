package io.herald.broker;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Optional;

/**
 * Herald's connection to the broker in one wire protocol: AMQP 1.0 (Artemis, and RabbitMQ through its plugin) or AMQP
 * 0-9-1 (RabbitMQ's own). It reconnects by itself after any loss; {@link BrokerClient} puts Herald's rules on top.
 */
public interface BrokerConnection {

    void start();

    /** Closes the connection, waiting a few seconds at most. */
    void stop();

    boolean isConnected();

    /** Counts connections opened: receivers made on an older one are gone and must be made again. */
    long generation();

    /** Why the broker is not connected (or holds Herald's publishing back), for health and logs; null when fine. */
    String lastFailure();

    /** A sender to {@code target}, declaring {@code declared} (the queue that owns it) first. */
    Future<QueueSender> sender(String declared, String target);

    /** Forgets the cached sender to {@code target} (its queue is deleted). */
    void forgetSender(String target);

    /** Declares {@code queue} if needed and receives from it, at most {@code window} messages at a time for the reader. */
    Future<QueueReceiver> receiver(String queue, int window, Handler<QueueReceiver.Delivered> handler);

    Future<Void> declare(String queue);

    Future<Optional<BrokerTopology.QueueState>> inspect(String queue);

    Future<Void> delete(String queue);
}
