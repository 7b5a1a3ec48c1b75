package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.broker.QueueReceiver;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * A consumer on its own channel with manual acknowledgement. The broker sends at most the prefetch count of unacknowledged
 * messages; of those, the reader is handed only as many as it has room for, the rest wait here (bounded by the
 * prefetch). Closing the channel returns every unacknowledged message to the queue.
 */
final class PrefetchReceiver implements QueueReceiver {
    private static final Logger LOG = Logger.getLogger(PrefetchReceiver.class);

    private final Channel channel;
    private final String queue;
    private final Handler<QueueReceiver.Delivered> handler;
    private final Executor blocking;
    private final Deque<Delivered> waiting = new ArrayDeque<>();
    private int room;
    private boolean handing;
    private volatile boolean closing;
    private volatile Handler<Throwable> closedRemotely;

    private PrefetchReceiver(
            Channel channel, String queue, Handler<QueueReceiver.Delivered> handler, Executor blocking) {
        this.channel = channel;
        this.queue = queue;
        this.handler = handler;
        this.blocking = blocking;
    }

    /**
     * Starts consuming; blocking (call it off the event loops). The prefetch covers {@code window} messages in flight
     * and as many again answered and waiting for their record (acknowledged after it): a backlog behind a slow endpoint
     * stays in the queue, not in Herald's memory.
     */
    static PrefetchReceiver open(
            Connection connection,
            String queue,
            int window,
            Handler<QueueReceiver.Delivered> handler,
            Executor blocking)
            throws IOException {
        Channel channel = connection.createChannel();
        try {
            channel.basicQos(2 * window);
            PrefetchReceiver receiver = new PrefetchReceiver(channel, queue, handler, blocking);
            channel.basicConsume(queue, false, receiver.new Consumer(channel));
            return receiver;
        } catch (IOException | RuntimeException e) {
            RabbitMqClients.closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void room(int messages) {
        synchronized (this) {
            room = messages;
        }
        handOver();
    }

    @Override
    public QueueReceiver closedRemotelyHandler(Handler<Throwable> handler) {
        this.closedRemotely = handler;
        return this;
    }

    @Override
    public Future<Void> close() {
        closing = true;
        synchronized (this) {
            waiting.clear(); // unacknowledged: the channel's close returns them to the queue
        }
        Promise<Void> closed = Promise.promise();
        blocking.execute(() -> {
            RabbitMqClients.closeQuietly(channel);
            closed.complete();
        });
        return closed.future();
    }

    /** Hands waiting messages over while the reader has room; never re-entered (the reader sets room as it takes one). */
    private void handOver() {
        while (true) {
            Delivered next;
            synchronized (this) {
                if (handing || closing || room <= 0 || waiting.isEmpty()) {
                    return;
                }
                handing = true;
                next = waiting.poll();
                room--;
            }
            try {
                handler.handle(next);
            } finally {
                synchronized (this) {
                    handing = false;
                }
            }
        }
    }

    private final class Consumer extends DefaultConsumer {
        Consumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            if (closing) {
                return; // the channel's close returns it
            }
            AmqpMessage message;
            try {
                message = RabbitMqMessages.message(properties, body);
            } catch (RuntimeException unreadable) {
                LOG.warnf("A message in %s is unreadable (%s); it goes to the dead-letter queue", queue, unreadable);
                new Delivered(envelope.getDeliveryTag(), null).reject();
                return;
            }
            synchronized (PrefetchReceiver.this) {
                waiting.add(new Delivered(envelope.getDeliveryTag(), message));
            }
            handOver();
        }

        @Override
        public void handleCancel(String tag) {
            closedByBroker(new IllegalStateException("The broker cancelled the consumer of " + queue));
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            closedByBroker(cause);
        }
    }

    private void closedByBroker(Throwable cause) {
        if (closing) {
            return;
        }
        closing = true;
        synchronized (this) {
            waiting.clear();
        }
        blocking.execute(() -> RabbitMqClients.closeQuietly(channel));
        Handler<Throwable> told = closedRemotely;
        if (told != null) {
            told.handle(cause);
        }
    }

    private final class Delivered implements QueueReceiver.Delivered {
        private final long tag;
        private final AmqpMessage message;

        Delivered(long tag, AmqpMessage message) {
            this.tag = tag;
            this.message = message;
        }

        @Override
        public AmqpMessage message() {
            return message;
        }

        @Override
        public void accept() {
            settle(() -> channel.basicAck(tag, false));
        }

        @Override
        public void reject() {
            settle(() -> channel.basicReject(tag, false));
        }

        @Override
        public void redeliver() {
            settle(() -> channel.basicNack(tag, false, true));
        }

        private void settle(Settlement settlement) {
            try {
                settlement.run();
            } catch (IOException | RuntimeException e) {
                // The channel is gone, and with it the message went back to the queue: it is delivered again.
                LOG.debugf("Could not settle a message of %s: %s", queue, e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface Settlement {
        void run() throws IOException;
    }
}
