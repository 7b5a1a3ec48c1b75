package io.herald.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Gathers single requests that arrive about the same time and answers them with one call for all (one SQL statement
 * instead of one per request). No waiting for a batch to fill: one thread takes whatever is queued when it is free,
 * so under light load a request is answered alone at once, and under heavy load batches grow by themselves.
 *
 * @param <T> a request
 * @param <R> its answer
 */
public final class MicroBatcher<T, R> implements AutoCloseable {
    /** Answers a batch: one answer per request, in order. */
    @FunctionalInterface
    public interface BatchCall<T, R> {
        List<R> apply(List<T> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    private record Pending<T, R>(T request, CompletableFuture<R> answer) {}

    private final BlockingQueue<Pending<T, R>> queue;
    private final BatchCall<T, R> call;
    private final int maxBatch;
    private final Thread thread;
    private volatile boolean running = true;

    public MicroBatcher(String name, int maxBatch, int maxQueued, BatchCall<T, R> call) {
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.call = call;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The answer, or a failed future when the call failed or too many requests are waiting. */
    public CompletableFuture<R> submit(T request) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending<>(request, answer))) {
            answer.completeExceptionally(new IllegalStateException(thread.getName() + ": too many requests waiting"));
        }
        return answer;
    }

    private void loop() {
        List<Pending<T, R>> batch = new ArrayList<>();
        while (running) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                answer(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void answer(List<Pending<T, R>> batch) {
        List<R> answers;
        try {
            answers = call.apply(batch.stream().map(Pending::request).toList());
        } catch (Exception | LinkageError e) {
            LOG.debugf("%s: a batch of %d failed: %s", thread.getName(), batch.size(), e.getMessage());
            batch.forEach(pending -> pending.answer.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer.complete(answers.get(i));
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Pending<T, R> left;
        while ((left = queue.poll()) != null) {
            left.answer.completeExceptionally(new IllegalStateException(thread.getName() + " stopped"));
        }
    }
}
