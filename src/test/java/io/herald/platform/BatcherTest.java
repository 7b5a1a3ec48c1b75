package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {
    private record Item(int weight, CompletableFuture<Integer> done) {
        Item(int weight) {
            this(weight, new CompletableFuture<>());
        }
    }

    @Test
    void itemsQueuedWhileTheHandlerIsBusyComeTogetherUpToTheWeightLimit() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchWeights = new CopyOnWriteArrayList<>();
        try (Batcher<Item> batcher = new Batcher<>(
                "test-batcher",
                1,
                100,
                10,
                Item::weight,
                batch -> {
                    entered.countDown();
                    release.await();
                    batchWeights.add(batch.stream().mapToInt(Item::weight).sum());
                    batch.forEach(item -> item.done.complete(batch.size()));
                },
                (batch, failure) -> batch.forEach(item -> item.done.completeExceptionally(failure)))) {
            Item first = new Item(1);
            batcher.offer(first);
            assertTrue(entered.await(5, TimeUnit.SECONDS)); // the first item is taken alone
            List<Item> rest = IntStream.range(0, 12).mapToObj(i -> new Item(3)).toList();
            rest.forEach(batcher::offer);
            release.countDown();

            assertEquals(1, first.done.get(5, TimeUnit.SECONDS));
            for (Item item : rest) {
                item.done.get(5, TimeUnit.SECONDS);
            }
            // 3 + 3 + 3 stays under 10, the fourth makes 12: a batch stops growing once it reaches the limit.
            assertEquals(List.of(1, 12, 12, 12), batchWeights);
        }
    }

    @Test
    void aFailingBatchFailsItsItemsAndTheNextBatchIsHandled() throws Exception {
        try (Batcher<Item> batcher = new Batcher<>(
                "test-batcher",
                1,
                100,
                1,
                Item::weight,
                batch -> {
                    if (batch.get(0).weight == 13) {
                        throw new IllegalStateException("unlucky");
                    }
                    batch.forEach(item -> item.done.complete(item.weight));
                },
                (batch, failure) -> batch.forEach(item -> item.done.completeExceptionally(failure)))) {
            Item unlucky = new Item(13);
            Item next = new Item(2);
            batcher.offer(unlucky);
            batcher.offer(next);

            assertEquals(2, next.done.get(5, TimeUnit.SECONDS));
            assertTrue(unlucky.done.isCompletedExceptionally());
        }
    }

    @Test
    void closingHandlesWhatWasQueuedThenRefusesMore() throws Exception {
        Batcher<Item> batcher = new Batcher<>(
                "test-batcher",
                2,
                1000,
                5,
                Item::weight,
                batch -> {
                    Thread.sleep(20);
                    batch.forEach(item -> item.done.complete(item.weight));
                },
                (batch, failure) -> batch.forEach(item -> item.done.completeExceptionally(failure)));
        List<Item> queued = IntStream.range(0, 200).mapToObj(i -> new Item(1)).toList();
        queued.forEach(batcher::offer);

        batcher.close(Duration.ofSeconds(10));

        for (Item item : queued) {
            assertEquals(1, item.done.getNow(null));
        }
        Item late = new Item(1);
        assertFalse(batcher.offer(late));
    }

    @Test
    void whatIsLeftWhenTheGraceRunsOutFailsInsteadOfHanging() {
        CountDownLatch never = new CountDownLatch(1);
        Batcher<Item> batcher = new Batcher<>(
                "test-batcher",
                1,
                100,
                1,
                Item::weight,
                batch -> never.await(),
                (batch, failure) -> batch.forEach(item -> item.done.completeExceptionally(failure)));
        Item stuck = new Item(1);
        Item waiting = new Item(1);
        batcher.offer(stuck);
        batcher.offer(waiting);

        batcher.close(Duration.ofMillis(300));

        assertTrue(waiting.done.isCompletedExceptionally());
        assertThrows(ExecutionException.class, () -> stuck.done.get(5, TimeUnit.SECONDS));
    }
}
