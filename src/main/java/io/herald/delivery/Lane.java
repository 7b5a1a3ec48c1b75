package io.herald.delivery;

import io.herald.broker.QueueReceiver;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A subscription's lane on this instance. It bounds two things: requests to the destination in flight (the
 * subscription's {@code maxInFlight}, which protects the endpoint) and queue messages taken but not yet settled
 * (answered, waiting for their attempt to be recorded). A request's slot is freed when the destination answers, not
 * when the answer is recorded: holding it through the ledger's group commit would cap a lane at maxInFlight / (request
 * + recording) and turn every pause of the database into a backlog (ADR 0005). The receiver is granted credit only for
 * the room left in both.
 */
final class Lane {
    final String subscriptionId;
    volatile Target target;
    volatile QueueReceiver receiver;
    /** The latest attach: its receiver is the one to close. */
    volatile Future<QueueReceiver> attaching;

    volatile long generation = -1;
    private int requests;
    private int held;
    private int room = -1;
    /** Shutting down: takes nothing more from the queue. */
    private boolean draining;
    /** When the next request may start under the subscription's per-second cap (token bucket of one). */
    private long nextSlotNanos;

    Lane(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    /** Runs the attempt when the subscription's per-second cap allows (at once without a cap). */
    <T> CompletableFuture<T> afterSlot(Supplier<CompletableFuture<T>> attempt) {
        long wait = reserveSlot();
        if (wait <= 0) {
            return attempt.get();
        }
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS))
                .thenCompose(ignored -> attempt.get());
    }

    /** Nanoseconds to wait before the next request, reserving its slot; 0 without a cap. */
    private synchronized long reserveSlot() {
        Integer perSecond = target.maxPerSecond();
        if (perSecond == null) {
            return 0;
        }
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlotNanos);
        nextSlotNanos = slot + 1_000_000_000L / perSecond;
        return slot - now;
    }

    /** A retry takes a request slot if one is free. */
    synchronized boolean tryStartRequest() {
        if (target == null || requests >= target.maxInFlight()) {
            return false;
        }
        requests++;
        adjustReceiver();
        return true;
    }

    /** A queue message arrived: it holds a request slot until answered and its place until settled. */
    synchronized void messageTaken() {
        requests++;
        held++;
        adjustReceiver();
    }

    synchronized void requestDone() {
        requests--;
        adjustReceiver();
    }

    synchronized void messageSettled() {
        held--;
        adjustReceiver();
    }

    /** A new receiver starts flowing; apply the lane's state to it. */
    synchronized void attached(QueueReceiver attached) {
        receiver = attached;
        room = -1;
        adjustReceiver();
    }

    synchronized void stopTaking() {
        draining = true;
        adjustReceiver();
    }

    /** No request in flight and every message taken settled (its attempt recorded). */
    synchronized boolean idle() {
        return requests == 0 && held == 0;
    }

    /** Tells the receiver how many more messages the lane can start on now. */
    private void adjustReceiver() {
        int maxInFlight = target == null ? 0 : target.maxInFlight();
        // Answered messages wait for the ledger's next group commit; room for those beside the requests.
        int now = draining ? 0 : Math.max(0, Math.min(maxInFlight - requests, 2 * maxInFlight + 100 - held));
        if (now != room && receiver != null) {
            room = now;
            receiver.room(now);
        }
    }
}
