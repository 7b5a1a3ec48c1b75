package io.herald.broker;

import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;

/** A link to one queue. A send completes only when the broker has settled (accepted) the message. */
public final class QueueSender {
    private final String queue;
    private final AmqpSender sender;

    QueueSender(String queue, AmqpSender sender) {
        this.queue = queue;
        this.sender = sender;
    }

    public String queue() {
        return queue;
    }

    /** Sends a durable message; fails if the broker rejects it or the link drops before settlement. */
    public Future<Void> send(AmqpMessage message) {
        if (!message.isDurable()) {
            // A non-durable message in a durable queue is lost on broker restart: refuse it here, loudly.
            return Future.failedFuture(new IllegalArgumentException("Herald sends durable messages only"));
        }
        return sender.sendWithAck(message);
    }

    boolean isOpen() {
        return !sender.connection().isDisconnected();
    }
}
