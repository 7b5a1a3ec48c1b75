package io.herald.broker;

import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;

/** Sends to one queue. A send completes only when the broker has taken the message (settled it, or confirmed it). */
public interface QueueSender {
    String queue();

    /** Sends a durable message; fails if the broker refuses it or the connection drops before the broker took it. */
    Future<Void> send(AmqpMessage message);

    /** False once its connection is gone: a new sender is needed. */
    boolean isOpen();
}
