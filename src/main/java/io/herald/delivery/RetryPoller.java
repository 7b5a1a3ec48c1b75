package io.herald.delivery;

import io.herald.platform.Threads;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Retries, from PostgreSQL: claims due ones (leased, so any instance may take them and a dead instance's run out) and
 * attempts each in its subscription's lane when the lane has a free request slot.
 */
final class RetryPoller {
    private static final Logger LOG = Logger.getLogger(RetryPoller.class);
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final DeliveryLedger ledger;
    private final AttemptRunner attempts;
    private final DeliveryConfig config;
    private final Function<String, Lane> lanes;
    /** The retries this instance is attempting, by delivery id. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    private volatile boolean polling = true;
    private Thread thread;

    RetryPoller(DeliveryLedger ledger, AttemptRunner attempts, DeliveryConfig config, Function<String, Lane> lanes) {
        this.ledger = ledger;
        this.attempts = attempts;
        this.config = config;
        this.lanes = lanes;
    }

    void start() {
        thread = Threads.startDaemon("herald-retries", this::loop);
    }

    /** Claims now instead of after the poll interval. */
    void wake() {
        Thread polling = thread;
        if (polling != null) {
            java.util.concurrent.locks.LockSupport.unpark(polling);
        }
    }

    /** Claims no more; the retries running go on. */
    void stopClaiming() {
        polling = false;
        thread.interrupt();
    }

    boolean idle() {
        return running.isEmpty();
    }

    /** Gives the retries still running back (an instance stopping): due again now, for any instance. */
    int handBack() {
        List<String> handedBack = List.copyOf(running);
        try {
            ledger.releaseRetries(handedBack);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not hand back %d retries (%s); their leases run out", handedBack.size(), e.getMessage());
        }
        return handedBack.size();
    }

    private void loop() {
        while (polling) {
            try {
                if (pollOnce() == 0) {
                    // Woken early when ordered lines release deliveries (their next event should not wait a poll).
                    java.util.concurrent.locks.LockSupport.parkNanos(
                            config.retryPollInterval().toNanos());
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Retry round failed: %s", e.getMessage());
                Threads.sleepQuietly(config.retryPollInterval().toMillis());
            }
        }
    }

    /** One round; returns how many retries it started (none: the loop waits a poll interval before claiming again). */
    private int pollOnce() throws SQLException {
        int room = config.retryConcurrency() - running.size();
        if (room <= 0) {
            return 0;
        }
        List<DeliveryLedger.Claim> due = ledger.claimDue(room, LEASE);
        List<String> noRoom = new ArrayList<>();
        for (DeliveryLedger.Claim claim : due) {
            Lane lane = lanes.apply(claim.subscriptionId());
            if (lane == null || !lane.tryStartRequest()) {
                // Its lane is busy (a backlog's first attempts): due again at once, not when the lease ends.
                noRoom.add(claim.deliveryId());
                continue;
            }
            running.add(claim.deliveryId());
            Runnable requestDone = Once.of(lane::requestDone);
            lane.afterSlot(() -> attempts.attempt(claim, lane.target, DeliveryLedger.Trigger.SCHEDULED, 0, requestDone))
                    .whenComplete((recorded, error) -> {
                        if (error != null) {
                            LOG.warnf(
                                    "Retry of %s not recorded (%s); it is retried when its lease ends",
                                    claim.deliveryId(), error.getMessage());
                        }
                        requestDone.run();
                        running.remove(claim.deliveryId());
                    });
        }
        ledger.releaseRetries(noRoom);
        return due.size() - noRoom.size();
    }
}
