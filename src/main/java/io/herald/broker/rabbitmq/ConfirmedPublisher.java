package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.broker.BrokerUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One publishing channel in confirm mode with its own thread. A publish completes when the broker confirms the message
 * (for a quorum queue: once a majority of its replicas wrote it), fails when the broker refuses it, returns it as
 * unroutable (its queue is gone: publishes are mandatory), or the channel closes first. Messages to one queue always
 * go through the same publisher, so they enter the queue in the order they were sent. The thread is what blocks when
 * RabbitMQ's memory or disk alarm stops publishers; callers never do.
 */
final class ConfirmedPublisher implements AutoCloseable {
    private static final class Pending {
        final String routingKey;
        final String messageId;
        final Promise<Void> done;
        final long deadlineNanos;
        volatile boolean returned;

        Pending(String routingKey, String messageId, Promise<Void> done, long deadlineNanos) {
            this.routingKey = routingKey;
            this.messageId = messageId;
            this.done = done;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /**
     * Messages taken and not yet confirmed beyond which the publisher is {@link #full()}: what a broker that stopped
     * confirming (an alarm, a stall) may hold on Herald's heap. The outbox keeps the rest, and re-sends it later.
     */
    static final int MAX_OUTSTANDING = 2000;

    private final Channel channel;
    private final ExecutorService thread;
    private final long timeoutNanos;
    private final ScheduledFuture<?> sweeper;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

    /**
     * @param timeout how long a message may wait to be sent and confirmed before its publish fails
     * @param timer runs the sweep that fails what waited longer (one task a second, not one per message)
     * @param lost told when the channel closes while the connection stays (the broker closed it for an error)
     */
    ConfirmedPublisher(
            Connection connection,
            String name,
            Duration timeout,
            ScheduledExecutorService timer,
            Consumer<ShutdownSignalException> lost)
            throws IOException {
        this.channel = connection.createChannel();
        this.timeoutNanos = timeout.toNanos();
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        channel.confirmSelect();
        channel.addConfirmListener(
                (tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) ->
                        settle(tag, multiple, new BrokerUnavailableException("The broker refused the message (nack)")));
        channel.addReturnListener(returned ->
                onReturn(returned.getRoutingKey(), returned.getProperties().getMessageId()));
        channel.addShutdownListener(cause -> {
            failAll(new BrokerUnavailableException("The publishing channel closed: " + cause.getMessage(), cause));
            if (!cause.isHardError()) {
                lost.accept(cause);
            }
        });
        this.sweeper = timer.scheduleWithFixedDelay(this::failOverdue, 1, 1, TimeUnit.SECONDS);
    }

    boolean full() {
        return outstanding.get() >= MAX_OUTSTANDING;
    }

    Future<Void> publish(String queue, AMQP.BasicProperties properties, byte[] body) {
        outstanding.incrementAndGet();
        Promise<Void> done = Promise.promise();
        done.future().onComplete(settled -> outstanding.decrementAndGet());
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            thread.execute(() -> send(queue, properties, body, done, deadline));
        } catch (RejectedExecutionException stopped) {
            done.tryFail(new BrokerUnavailableException("The publishing channel is closed"));
        }
        return done.future();
    }

    private void send(String queue, AMQP.BasicProperties properties, byte[] body, Promise<Void> done, long deadline) {
        if (!channel.isOpen()) {
            done.tryFail(new BrokerUnavailableException("The publishing channel is closed"));
            return;
        }
        if (System.nanoTime() > deadline) {
            done.tryFail(overdue(queue));
            return;
        }
        long sequence = channel.getNextPublishSeqNo();
        pending.put(sequence, new Pending(queue, properties.getMessageId(), done, deadline));
        try {
            channel.basicPublish("", queue, true, properties, body);
        } catch (IOException | RuntimeException e) {
            pending.remove(sequence);
            done.tryFail(new BrokerUnavailableException("Could not publish to " + queue + ": " + e.getMessage(), e));
        }
    }

    /** A mandatory message no queue took: the confirm that follows completes it as failed. */
    private void onReturn(String routingKey, String messageId) {
        for (Pending candidate : pending.values()) {
            if (!candidate.returned
                    && candidate.routingKey.equals(routingKey)
                    && Objects.equals(candidate.messageId, messageId)) {
                candidate.returned = true;
                return;
            }
        }
    }

    private void settle(long tag, boolean multiple, Exception refusal) {
        Map<Long, Pending> settled = multiple ? pending.headMap(tag, true) : subMap(tag);
        for (Map.Entry<Long, Pending> entry : settled.entrySet()) {
            Pending one = pending.remove(entry.getKey());
            if (one == null) {
                continue;
            }
            if (refusal != null) {
                one.done.tryFail(refusal);
            } else if (one.returned) {
                one.done.tryFail(new BrokerUnavailableException("The broker has no queue " + one.routingKey));
            } else {
                one.done.tryComplete();
            }
        }
    }

    /** Sent in sequence, so the overdue ones are at the head. */
    private void failOverdue() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            if (entry.getValue().deadlineNanos > now) {
                return;
            }
            Pending one = pending.remove(entry.getKey());
            if (one != null) {
                one.done.tryFail(overdue(one.routingKey));
            }
        }
    }

    private BrokerUnavailableException overdue(String queue) {
        return new BrokerUnavailableException("The broker did not confirm a message to " + queue + " within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    private Map<Long, Pending> subMap(long tag) {
        return pending.subMap(tag, true, tag, true);
    }

    private void failAll(Exception cause) {
        for (Long tag : pending.keySet()) {
            Pending one = pending.remove(tag);
            if (one != null) {
                one.done.tryFail(cause);
            }
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        thread.shutdownNow();
        failAll(new BrokerUnavailableException("The publishing channel is closed"));
    }
}
