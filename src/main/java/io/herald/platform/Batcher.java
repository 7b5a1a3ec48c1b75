package io.herald.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * The one batching loop of Herald (group commit of ingest, of delivery records, batched lookups): items offered about
 * the same time are handed to the handler together. No waiting for a batch to fill: a thread takes whatever is queued
 * when it is free, so under light load an item is handled alone at once, and under heavy load batches grow by
 * themselves up to {@code maxWeight}.
 *
 * <p>Items carry their own completion (a future, a callback): the handler completes them, and {@code onFailure}
 * completes those of a batch whose handler threw, and those still queued when the batcher stops.
 *
 * @param <T> an item
 */
public final class Batcher<T> implements AutoCloseable {
    /** Handles one batch; it completes every item of it. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(List<T> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Batcher.class);
    private static final long IDLE_POLL_MILLIS = 200;

    private final String name;
    private final BlockingQueue<T> queue;
    private final int maxWeight;
    private final ToIntFunction<T> weight;
    private final Handler<T> handler;
    private final BiConsumer<List<T>, Exception> onFailure;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param maxQueued items waiting beyond this are refused by {@link #offer}
     * @param maxWeight a batch stops growing once its items weigh this much (the first item is always taken)
     * @param weight an item's weight, e.g. 1, or the events of a request
     */
    public Batcher(
            String name,
            int threads,
            int maxQueued,
            int maxWeight,
            ToIntFunction<T> weight,
            Handler<T> handler,
            BiConsumer<List<T>, Exception> onFailure) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.maxWeight = maxWeight;
        this.weight = weight;
        this.handler = handler;
        this.onFailure = onFailure;
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::loop, threads == 1 ? name : name + "-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
        this.threads.forEach(Thread::start);
    }

    public String name() {
        return name;
    }

    /** Queues an item; false when too many are waiting or the batcher stopped (the caller answers that itself). */
    public boolean offer(T item) {
        return running && queue.offer(item);
    }

    private void loop() {
        List<T> batch = new ArrayList<>();
        // After close, the threads still drain what was queued before it (a graceful stop commits accepted work).
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int weighed = weight.applyAsInt(first);
                T next;
                while (weighed < maxWeight && (next = queue.poll()) != null) {
                    batch.add(next);
                    weighed += weight.applyAsInt(next);
                }
                handle(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void handle(List<T> batch) throws InterruptedException {
        try {
            handler.handle(batch);
        } catch (InterruptedException e) {
            onFailure.accept(List.copyOf(batch), e);
            throw e;
        } catch (Exception e) {
            LOG.errorf(e, "%s: a batch of %d failed unexpectedly", name, batch.size());
            onFailure.accept(List.copyOf(batch), e);
        }
    }

    /**
     * Stops taking items, lets the threads handle what is queued for up to {@code grace}, then interrupts them and fails
     * whatever is left.
     */
    public void close(Duration grace) {
        running = false;
        Threads.joinThenInterrupt(threads, grace);
        List<T> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            onFailure.accept(left, new IllegalStateException(name + " stopped"));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
