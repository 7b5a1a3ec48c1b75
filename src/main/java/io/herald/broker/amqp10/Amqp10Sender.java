package io.herald.broker.amqp10;

import io.herald.broker.QueueSender;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;

/** A link to one queue. A send completes only when the broker has settled (accepted) the message. */
final class Amqp10Sender implements QueueSender {
    private final String queue;
    private final AmqpSender sender;

    Amqp10Sender(String queue, AmqpSender sender) {
        this.queue = queue;
        this.sender = sender;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public Future<Void> send(AmqpMessage message) {
        if (!message.isDurable()) {
            // A non-durable message in a durable queue is lost on broker restart: refuse it here, loudly.
            return Future.failedFuture(new IllegalArgumentException("Herald sends durable messages only"));
        }
        return sender.sendWithAck(message);
    }

    @Override
    public boolean isOpen() {
        return !sender.connection().isDisconnected();
    }
}
