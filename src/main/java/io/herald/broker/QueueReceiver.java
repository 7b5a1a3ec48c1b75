package io.herald.broker;

import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Receives from one queue, never handing the reader more messages than it has room for. The methods may be called
 * from any thread.
 */
public interface QueueReceiver {

    /** How many messages the reader has room for now. Calls must not overlap (the reader serialises them). */
    void room(int messages);

    /** Called when the broker ends the receiver without being asked (the queue deleted, say). */
    QueueReceiver closedRemotelyHandler(Handler<Throwable> handler);

    /** Stops receiving; messages taken and not settled go back to the queue. Completes when that is sent. */
    Future<Void> close();

    /** One message taken from the queue; settled exactly once, from any thread. */
    interface Delivered {
        AmqpMessage message();

        /** Done with: removed from the queue. */
        void accept();

        /** Not Herald's to deliver: the broker dead-letters it. */
        void reject();

        /** Not handled this time: the broker delivers it again (counting the failed delivery). */
        void redeliver();
    }
}
