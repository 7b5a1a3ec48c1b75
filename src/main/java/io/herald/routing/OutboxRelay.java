package io.herald.routing;

import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.flow.StageLag;
import io.herald.platform.PlatformConfig;
import io.herald.platform.Threads;
import io.herald.store.DeliveryRows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Moves committed deliveries into their subscriptions' queues, in two ways.
 *
 * <p><b>Hand-off</b> (the common path): the group commit leases the deliveries it writes to this instance
 * ({@code relay_lease_until}) and, once committed, hands them over in memory with their events. A worker sends them,
 * waits for the broker to settle each, and marks QUEUED those settled, if still PENDING (the dispatcher may already
 * have recorded an outcome). No read of the outbox, no row lock held while the broker settles. A send that failed gives
 * its lease back, so the poller takes the delivery at once.
 *
 * <p><b>Poll</b> (everything else: deliveries of other instances' commits, of resumed subscriptions, of redrives and
 * replays, and leases that expired because their instance died): each round claims up to a batch of PENDING deliveries
 * not under a live lease with {@code FOR UPDATE SKIP LOCKED} (so instances sharing the database never claim the same
 * row), sends them all at once, waits for the broker to settle each, and marks QUEUED exactly those it settled, in the
 * same transaction. A delivery whose send failed stays PENDING for the next round; if the instance dies mid-round the
 * transaction rolls back and another instance sends the delivery again (at least once: consumers deduplicate on the
 * event id). Deliveries of paused subscriptions wait in the outbox until they are resumed; one whose subscription or
 * event no longer exists is recorded DISCARDED rather than claimed again every round.
 */
@Singleton
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Hand-offs waiting beyond this many rounds' worth go through the outbox instead (the broker is slower than ingest). */
    private static final int HAND_OFF_ROUNDS = 10;

    private final AgroalDataSource dataSource;
    private final BrokerClient broker;
    private final RelayConfig config;
    private final PlatformConfig.Shutdown shutdown;
    private final Semaphore wake = new Semaphore(0);
    /** Handed-off deliveries not yet taken by a worker, and how many (the queue's size is not constant-time). */
    private final Queue<HandOff> handOffs = new ConcurrentLinkedQueue<>();

    private final AtomicInteger handOffsWaiting = new AtomicInteger();
    /** Set when deliveries were committed unleased, so a worker polls the outbox now instead of at the next interval. */
    private final AtomicBoolean outboxChanged = new AtomicBoolean();

    private final Counter queued;
    private final StageLag stageLag;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    OutboxRelay(
            AgroalDataSource dataSource,
            BrokerClient broker,
            RelayConfig config,
            MeterRegistry metrics,
            StageLag stageLag,
            PlatformConfig platform) {
        this.dataSource = dataSource;
        this.shutdown = platform.shutdown();
        this.stageLag = stageLag;
        this.broker = broker;
        this.config = config;
        this.queued = Counter.builder("herald.relay.deliveries.queued")
                .description("Deliveries settled into their queue")
                .register(metrics);
    }

    void start(@Observes @Priority(BrokerClient.STARTUP_PRIORITY + 10) StartupEvent event) {
        for (int i = 0; i < config.workers(); i++) {
            Thread thread = new Thread(this::loop, "herald-relay-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Rounds under way finish within the grace (a round interrupted sends its messages again later, as duplicates). */
    void stop(@Observes @Priority(5) ShutdownEvent event) {
        running = false;
        wake.release(threads.size());
        Threads.joinThenInterrupt(threads, shutdown.grace());
        // Hand-offs not sent: their leases back, so another instance sends them now, not when the leases run out.
        List<String> waiting = new ArrayList<>();
        HandOff handOff;
        while ((handOff = handOffs.poll()) != null) {
            waiting.add(handOff.deliveryId());
        }
        releaseLeases(waiting);
    }

    /** New unleased deliveries were committed: poll the outbox now rather than at the next interval. */
    public void wake() {
        outboxChanged.set(true);
        signal();
    }

    private void signal() {
        if (wake.availablePermits() < config.workers()) {
            wake.release();
        }
    }

    /**
     * How long deliveries committed now may be leased to this instance for a hand-off, or null when they should go
     * through the outbox: the broker is down, or the hand-offs waiting already fill several rounds. The lease outlasts
     * a send's timeout twice over, so no other relay sends a delivery this instance is still sending.
     */
    public Duration handOffLease() {
        if (!broker.isConnected() || handOffsWaiting.get() >= HAND_OFF_ROUNDS * config.batchSize()) {
            return null;
        }
        return config.sendTimeout().multipliedBy(2);
    }

    /** Deliveries leased by {@link #handOffLease} whose transaction has committed: send them now. */
    public void handOff(List<HandOff> committed) {
        if (committed.isEmpty()) {
            return;
        }
        handOffs.addAll(committed);
        handOffsWaiting.addAndGet(committed.size());
        signal();
    }

    private void loop() {
        boolean outageLogged = false;
        boolean outboxFull = false;
        long lastPoll = 0;
        long pollEvery = config.pollInterval().toNanos();
        while (running) {
            try {
                int relayed = 0;
                if (broker.isConnected()) {
                    relayed = sendHandOffs();
                    if (outboxChanged.getAndSet(false) || outboxFull || System.nanoTime() - lastPoll >= pollEvery) {
                        lastPoll = System.nanoTime();
                        int claimed = relayOnce();
                        outboxFull = claimed >= config.batchSize();
                        relayed += claimed;
                    }
                    outageLogged = false;
                }
                if (relayed == 0 && !outboxFull && handOffsWaiting.get() == 0 && !outboxChanged.get()) {
                    // Until the next poll is due, or a signal: one permit per signal, so each commit wakes one idle
                    // worker.
                    long untilPoll = pollEvery - (System.nanoTime() - lastPoll);
                    wake.tryAcquire(Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilPoll)), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                if (!outageLogged) {
                    LOG.warnf("Relay round failed (%s); deliveries stay in the outbox and are retried", e.getMessage());
                    outageLogged = true;
                }
                sleep();
            }
        }
    }

    /** One round; returns how many deliveries were claimed. */
    int relayOnce() throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<String> ids = new ArrayList<>();
                List<String> orphans = new ArrayList<>();
                List<Future<Void>> sends = new ArrayList<>();
                List<Long> acceptedAt = new ArrayList<>();
                try (PreparedStatement claim = DeliveryRows.relayClaim(connection, config.batchSize())) {
                    try (ResultSet rows = claim.executeQuery()) {
                        while (rows.next()) {
                            if (rows.getString("queue_name") == null || rows.getString("topic") == null) {
                                orphans.add(rows.getString("delivery_id"));
                                continue;
                            }
                            ids.add(rows.getString("delivery_id"));
                            // A replay's acceptance is long past: its lag would say nothing about the flow.
                            acceptedAt.add(
                                    rows.getBoolean("replay")
                                            ? 0L
                                            : rows.getTimestamp("accepted_at").getTime());
                            var message = CloudEventsAmqp.message(rows);
                            sends.add(broker.sender(rows.getString("queue_name"))
                                    .compose(sender -> sender.send(message)));
                        }
                    }
                }
                if (!orphans.isEmpty()) {
                    DeliveryRows.discard(connection, orphans);
                    LOG.infof("Discarded %d deliveries whose subscription or event no longer exists", orphans.size());
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return orphans.size();
                }
                awaitSettled(sends);
                List<String> settled = settled(ids, acceptedAt, sends);
                DeliveryRows.markClaimedQueued(connection, settled);
                connection.commit();
                queued.increment(settled.size());
                return ids.size() + orphans.size();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Sends up to a batch of handed-off deliveries and marks those settled QUEUED; returns how many were taken. One whose
     * lease is about to run out is left to the poller, which takes it once expired (a lease must never be outlived by
     * its own send).
     */
    int sendHandOffs() throws SQLException, InterruptedException {
        List<HandOff> batch = new ArrayList<>();
        HandOff next;
        while (batch.size() < config.batchSize() && (next = handOffs.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        handOffsWaiting.addAndGet(-batch.size());
        Instant sendableUntil = Instant.now().plus(config.sendTimeout());
        List<HandOff> sent = new ArrayList<>();
        List<Future<Void>> sends = new ArrayList<>();
        for (HandOff handOff : batch) {
            if (handOff.leaseUntil().isAfter(sendableUntil)) {
                var message = CloudEventsAmqp.message(handOff);
                sent.add(handOff);
                sends.add(broker.sender(handOff.queueName()).compose(sender -> sender.send(message)));
            }
        }
        List<String> ids = sent.stream().map(HandOff::deliveryId).toList();
        try {
            awaitSettled(sends);
        } catch (InterruptedException e) {
            releaseLeases(ids); // shutting down: sent or not, the outbox takes them
            throw e;
        }
        List<String> settled = settled(
                ids,
                sent.stream()
                        .map(handOff -> handOff.acceptedAt().toEpochMilli())
                        .toList(),
                sends);
        List<String> failed = IntStream.range(0, ids.size())
                .filter(i -> !sends.get(i).succeeded())
                .mapToObj(ids::get)
                .toList();
        try (Connection connection = dataSource.getConnection()) {
            DeliveryRows.markQueued(connection, settled);
            DeliveryRows.releaseRelayLeases(connection, failed); // left to the outbox poll, at once
        }
        queued.increment(settled.size());
        if (!failed.isEmpty()) {
            wake();
        }
        return batch.size();
    }

    /**
     * The deliveries whose send the broker settled, in order, each one's lag recorded ({@code acceptedAt} 0: a replay,
     * whose lag would say nothing about the flow).
     */
    private List<String> settled(List<String> ids, List<Long> acceptedAt, List<Future<Void>> sends) {
        List<String> settled = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (sends.get(i).succeeded()) {
                settled.add(ids.get(i));
                if (acceptedAt.get(i) > 0) {
                    stageLag.reached(StageLag.Stage.QUEUED, acceptedAt.get(i));
                }
            }
        }
        if (settled.size() < ids.size()) {
            Throwable cause = sends.stream()
                    .filter(Future::failed)
                    .findFirst()
                    .map(Future::cause)
                    .orElse(null);
            LOG.debugf(
                    "%d of %d deliveries not settled this round: %s", ids.size() - settled.size(), ids.size(), cause);
        }
        return settled;
    }

    private void releaseLeases(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            DeliveryRows.releaseRelayLeases(connection, deliveryIds);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(
                    "Could not give back %d hand-off leases (%s); they run out by themselves",
                    deliveryIds.size(), e.getMessage());
        }
    }

    private void awaitSettled(List<Future<Void>> sends) throws InterruptedException {
        try {
            Future.join(new ArrayList<>(sends))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Some sends failed or did not settle in time: only the settled ones are marked below.
        }
    }

    private void sleep() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
