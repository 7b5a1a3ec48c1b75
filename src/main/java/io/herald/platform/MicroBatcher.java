package io.herald.platform;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Requests answered by one call for all that arrived about the same time (one SQL statement instead of one per
 * request), on the {@link Batcher} loop.
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

    private final Batcher<Pending<T, R>> batcher;

    public MicroBatcher(String name, int maxBatch, int maxQueued, BatchCall<T, R> call) {
        this.batcher = new Batcher<>(
                name,
                1,
                maxQueued,
                maxBatch,
                pending -> 1,
                batch -> answer(batch, call),
                (batch, failure) -> batch.forEach(pending -> pending.answer.completeExceptionally(failure)));
    }

    private static <T, R> void answer(List<Pending<T, R>> batch, BatchCall<T, R> call) {
        List<R> answers;
        try {
            answers = call.apply(batch.stream().map(Pending::request).toList());
        } catch (Exception | LinkageError e) {
            // The callers see the failure; an outage is reported where it is found, not once per batch here.
            LOG.debugf("a batch of %d failed: %s", batch.size(), e.getMessage());
            batch.forEach(pending -> pending.answer.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer.complete(answers.get(i));
        }
    }

    /** The answer, or a failed future when the call failed or too many requests are waiting. */
    public CompletableFuture<R> submit(T request) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        if (!batcher.offer(new Pending<>(request, answer))) {
            answer.completeExceptionally(new IllegalStateException(batcher.name() + ": too many requests waiting"));
        }
        return answer;
    }

    @Override
    public void close() {
        batcher.close();
    }
}
