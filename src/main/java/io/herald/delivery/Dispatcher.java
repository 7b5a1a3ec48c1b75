package io.herald.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.broker.EventMessage;
import io.herald.broker.QueueReceiver;
import io.herald.flow.FlowStats;
import io.herald.flow.StageLag;
import io.herald.platform.PlatformConfig;
import io.herald.routing.OutboxRelay;
import io.herald.routing.Subscription;
import io.herald.routing.SubscriptionDeleting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Delivers webhook subscriptions' events. Each active webhook subscription has a lane on every instance: a receiver on
 * its queue (competing with other instances' receivers), at most {@code max-in-flight} requests at once, so a slow or
 * dead endpoint holds only its own lane. Lanes follow subscriptions created, paused, resumed, disabled and deleted at
 * run time. First attempts come from the queue; retries are scheduled in PostgreSQL and claimed by any instance when
 * due. A queue message is settled only after its attempt is recorded.
 */
@Singleton
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** Bounds the wait for a lane's attach in flight when its subscription is deleted (attaches time out on their own). */
    private static final Duration ATTACH_WAIT = Duration.ofSeconds(15);

    private final BrokerClient broker;
    private final AgroalDataSource dataSource;
    private final DeliveryLedger ledger;
    private final WebhookClient client;
    private final DeliveryConfig config;
    private final OutboxRelay relay;
    private final ObjectMapper json;
    private final PlatformConfig.Shutdown shutdown;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Deletions announced so far: numbers them, so a reconcile can tell whether its read began after one. */
    private final AtomicLong deletions = new AtomicLong();
    /**
     * Subscriptions being deleted, by the number of their announcement. A reconcile whose read began before that may
     * still see one active, and must not attach a lane to a queue about to be deleted.
     */
    private final Map<String, Long> beingDeleted = new ConcurrentHashMap<>();
    /**
     * First attempts start here, off the one thread that answers the batched first-attempt checks: starting one resolves
     * the webhook host for the SSRF check (blocking DNS), and a slow resolver must not hold up other subscriptions.
     */
    private final ExecutorService attemptStarts = Executors.newFixedThreadPool(8, daemon("herald-delivery-start"));

    private final Counter delivered;
    private final Counter failed;
    private final Timer endToEnd;
    private final FlowStats flow;
    private final StageLag stageLag;
    /** How often lanes re-read their subscriptions (settings, secrets, pauses made on other instances). */
    static final long RECONCILE_INTERVAL_MS = 1000;

    private Thread reconciler;
    private Thread retries;
    private volatile boolean running = true;

    Dispatcher(
            BrokerClient broker,
            AgroalDataSource dataSource,
            DeliveryLedger ledger,
            WebhookClient client,
            DeliveryConfig config,
            OutboxRelay relay,
            ObjectMapper json,
            MeterRegistry metrics,
            FlowStats flow,
            StageLag stageLag,
            PlatformConfig platform) {
        this.broker = broker;
        this.shutdown = platform.shutdown();
        this.stageLag = stageLag;
        this.flow = flow;
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.client = client;
        this.config = config;
        this.relay = relay;
        this.json = json;
        this.delivered = Counter.builder("herald.delivery.attempts")
                .tag("outcome", "succeeded")
                .register(metrics);
        this.failed = Counter.builder("herald.delivery.attempts")
                .tag("outcome", "failed")
                .register(metrics);
        this.endToEnd = Timer.builder("herald.delivery.latency")
                .description("Event accepted to webhook answered 2xx")
                .publishPercentileHistogram()
                .register(metrics);
    }

    /**
     * A subscription's lane on this instance. It bounds two things: requests to the endpoint in flight (the
     * subscription's {@code maxInFlight}, which protects the endpoint) and queue messages taken but not yet settled
     * (answered, waiting for their attempt to be recorded). A request's slot is freed when the endpoint answers, not
     * when the answer is recorded: holding it through the ledger's group commit capped a lane at maxInFlight / (HTTP +
     * recording) and turned every pause of the database into a backlog. The receiver is granted credit only for the room
     * left in both.
     */
    private final class Lane {
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

        Lane(String subscriptionId) {
            this.subscriptionId = subscriptionId;
        }

        /** When the next request may start under the subscription's per-second cap (token bucket of one). */
        private long nextSlotNanos;

        /** Nanoseconds to wait before the next request, reserving its slot; 0 without a cap. */
        synchronized long reserveSlot() {
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
            if (requests >= target.maxInFlight()) {
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

    void start(@Observes @Priority(BrokerClient.STARTUP_PRIORITY + 20) StartupEvent event) {
        reconciler = new Thread(this::reconcileLoop, "herald-dispatcher");
        reconciler.setDaemon(true);
        reconciler.start();
        retries = new Thread(this::retryLoop, "herald-retries");
        retries.setDaemon(true);
        retries.start();
    }

    /**
     * After the relay, before the broker: lanes take nothing more, the attempts in flight get the grace to be answered
     * and recorded, then the receivers close (what they hold unsettled goes back to the queue). Retries still running
     * after the grace are handed back, so another instance attempts them at once instead of when their lease ends.
     */
    void stop(@Observes @Priority(6) ShutdownEvent event) {
        running = false;
        reconciler.interrupt();
        retries.interrupt();
        lanes.values().forEach(Lane::stopTaking);
        long deadline = System.nanoTime() + shutdown.grace().toNanos();
        while (System.nanoTime() < deadline
                && !(retriesRunning.isEmpty() && lanes.values().stream().allMatch(Lane::idle))) {
            sleepQuietly(20);
        }
        List<String> handedBack = List.copyOf(retriesRunning);
        long lanesBusy = lanes.values().stream().filter(lane -> !lane.idle()).count();
        try {
            ledger.releaseRetries(handedBack);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not hand back %d retries (%s); their leases run out", handedBack.size(), e.getMessage());
        }
        lanes.values().forEach(this::close);
        attemptStarts.shutdown();
        LOG.infof(
                "Delivery stopped: %s; %d retries still running handed back",
                lanesBusy == 0 ? "every attempt in flight answered and recorded" : lanesBusy + " lanes still busy",
                handedBack.size());
    }

    // --- lanes follow subscriptions ---------------------------------------------------------------------------

    private void reconcileLoop() {
        while (running) {
            try {
                reconcile();
                Thread.sleep(RECONCILE_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Dispatcher could not read subscriptions: %s", e.getMessage());
                sleepQuietly(1000);
            }
        }
    }

    void reconcile() throws SQLException {
        long deletionsBeforeRead = deletions.get();
        Map<String, Target> active = activeWebhookTargets();
        synchronized (lanes) {
            // Announced before this read began: the subscription was paused then, and the read knows it.
            beingDeleted.values().removeIf(number -> number <= deletionsBeforeRead);
            for (Map.Entry<String, Target> entry : active.entrySet()) {
                if (beingDeleted.containsKey(entry.getKey())) {
                    continue;
                }
                Lane lane = lanes.computeIfAbsent(entry.getKey(), Lane::new);
                lane.target = entry.getValue();
                boolean current = lane.generation == broker.generation();
                boolean attachingNow = current && lane.attaching != null && !lane.attaching.isComplete();
                if (broker.isConnected() && !attachingNow && (lane.receiver == null || !current)) {
                    attach(lane);
                }
            }
            for (String id : new HashSet<>(lanes.keySet())) {
                if (!active.containsKey(id)) {
                    close(lanes.remove(id));
                }
            }
        }
    }

    /**
     * A subscription's queue is about to be deleted: its lane detaches now, and no new one attaches. Returns once the
     * detach is sent (an attach in flight is waited for first); the deletion then asks the broker until the queue has
     * no consumers left.
     */
    void onDeleting(@Observes SubscriptionDeleting deleting) {
        Lane lane;
        synchronized (lanes) {
            beingDeleted.put(deleting.subscriptionId(), deletions.incrementAndGet());
            lane = lanes.remove(deleting.subscriptionId());
        }
        try {
            close(lane).toCompletionStage().toCompletableFuture().get(ATTACH_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf(
                    "The lane of subscription %s was still attaching to %s (%s)",
                    deleting.subscriptionId(), deleting.queue(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void attach(Lane lane) {
        long generation = broker.generation();
        lane.generation = generation;
        String queue = Subscription.queueFor(lane.subscriptionId);
        lane.attaching = broker.receiver(queue, lane.target.maxInFlight(), message -> onMessage(lane, message))
                .onSuccess(receiver -> {
                    if (lanes.get(lane.subscriptionId) != lane) {
                        return; // closed while attaching: close(lane) closes this receiver
                    }
                    lane.attached(receiver);
                    receiver.closedRemotelyHandler(e -> {
                        // The broker closed the link (an operator deleted the queue, say): the next reconcile attaches
                        // again.
                        LOG.warnf(
                                "The broker closed the lane of subscription %s on %s: %s",
                                lane.subscriptionId, queue, e.getMessage());
                        if (lane.receiver == receiver) {
                            lane.receiver = null;
                        }
                    });
                })
                .onFailure(e -> {
                    lane.generation = -1;
                    LOG.debugf("Could not attach to %s: %s", queue, e.getMessage());
                });
    }

    /**
     * Closes the lane's receiver, or the one still being attached once it is. Completes when the detach is sent, not
     * answered (RabbitMQ 3.10 answers a closing detach with a non-closing one); whoever needs the link gone asks the
     * broker for the queue's consumers.
     */
    private Future<Void> close(Lane lane) {
        Future<QueueReceiver> attaching = lane == null ? null : lane.attaching;
        if (attaching == null) {
            return Future.succeededFuture();
        }
        lane.receiver = null;
        return attaching.transform(
                attached -> attached.succeeded() ? attached.result().close() : Future.succeededFuture());
    }

    // --- first attempts, from the queue -----------------------------------------------------------------------

    private void onMessage(Lane lane, QueueReceiver.Delivered delivered) {
        AmqpMessage message = delivered.message();
        lane.messageTaken();
        Runnable requestDone = once(lane::requestDone);
        Target target = lane.target;
        JsonObject properties = message.applicationProperties();
        String deliveryId = properties == null ? null : properties.getString("herald_delivery_id");
        if (deliveryId == null) {
            delivered.reject(); // not Herald's: to the dead-letter queue
            requestDone.run();
            lane.messageSettled();
            return;
        }
        // A replay carries its event's original acceptance time: its lag would say nothing about the flow.
        long acceptedAt = Boolean.TRUE.equals(properties.getValue("herald_replay")) ? 0 : message.creationTime();
        if (acceptedAt > 0) {
            stageLag.reached(StageLag.Stage.RECEIVED, acceptedAt);
        }
        ledger.awaitingFirstAttempt(deliveryId)
                .thenComposeAsync(
                        claimed -> {
                            if (claimed.isEmpty()) {
                                return CompletableFuture.completedFuture(
                                        null); // a duplicate message of a delivery already handled
                            }
                            DeliveryLedger.Claim claim = new DeliveryLedger.Claim(
                                    deliveryId, lane.subscriptionId, claimed.get(), snapshot(message));
                            return afterSlot(
                                    lane,
                                    () -> attempt(
                                            claim, target, DeliveryLedger.Trigger.SCHEDULED, acceptedAt, requestDone));
                        },
                        attemptStarts)
                .whenComplete((recorded, error) -> {
                    requestDone.run(); // no request was made (a duplicate, or the check failed)
                    if (error != null) {
                        // Not recorded: let the broker deliver it again.
                        LOG.warnf(
                                "Delivery %s not recorded (%s); the broker will redeliver it",
                                deliveryId, error.getMessage());
                        delivered.redeliver();
                    } else {
                        delivered.accept();
                    }
                    lane.messageSettled();
                });
    }

    private EventSnapshot snapshot(AmqpMessage message) {
        return EventSnapshot.of(EventMessage.decode(message), json);
    }

    // --- retries, from PostgreSQL ---------------------------------------------------------------------------

    private void retryLoop() {
        while (running) {
            try {
                int started = retryDue();
                if (started == 0) {
                    Thread.sleep(config.retryPollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("Retry round failed: %s", e.getMessage());
                sleepQuietly(config.retryPollInterval().toMillis());
            }
        }
    }

    /** The retries this instance is attempting, by delivery id. */
    private final Set<String> retriesRunning = ConcurrentHashMap.newKeySet();

    private int retryDue() throws SQLException {
        int room = config.retryConcurrency() - retriesRunning.size();
        if (room <= 0) {
            return 0;
        }
        List<DeliveryLedger.Claim> due = ledger.claimDue(room, Duration.ofMinutes(2));
        List<String> noRoom = new ArrayList<>();
        for (DeliveryLedger.Claim claim : due) {
            Lane lane = lanes.get(claim.subscriptionId());
            if (lane == null || lane.target == null || !lane.tryStartRequest()) {
                // Its lane is busy (a backlog's first attempts): due again at once, not when the 2-minute lease ends.
                noRoom.add(claim.deliveryId());
                continue;
            }
            retriesRunning.add(claim.deliveryId());
            Runnable requestDone = once(lane::requestDone);
            afterSlot(lane, () -> attempt(claim, lane.target, DeliveryLedger.Trigger.SCHEDULED, 0, requestDone))
                    .whenComplete((recorded, error) -> {
                        if (error != null) {
                            LOG.warnf(
                                    "Retry of %s not recorded (%s); it is retried when its lease ends",
                                    claim.deliveryId(), error.getMessage());
                        }
                        requestDone.run();
                        retriesRunning.remove(claim.deliveryId());
                    });
        }
        ledger.releaseRetries(noRoom);
        return due.size() - noRoom.size(); // none started: the loop waits a poll interval before claiming again
    }

    /** Runs the attempt when the lane's per-second cap allows (at once without a cap). */
    private <T> CompletableFuture<T> afterSlot(Lane lane, java.util.function.Supplier<CompletableFuture<T>> attempt) {
        long wait = lane.reserveSlot();
        if (wait <= 0) {
            return attempt.get();
        }
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS))
                .thenCompose(ignored -> attempt.get());
    }

    // --- manual retries ---------------------------------------------------------------------------------------

    /** Attempts a delivery now, whatever its state; a failure is recorded but not rescheduled. */
    public CompletableFuture<DeliveryLedger.Recorded> retryNow(DeliveryLedger.Claim claim) throws SQLException {
        Target target = loadTarget(claim.subscriptionId());
        if (target == null) {
            throw new IllegalStateException(
                    "Subscription " + claim.subscriptionId() + " is not a webhook subscription");
        }
        return attempt(claim, target, DeliveryLedger.Trigger.MANUAL, 0, () -> {});
    }

    /** Sends an event to a webhook subscription's endpoint once, recording nothing: the operator's "send a test". */
    public CompletableFuture<AttemptResult> sendOnce(String subscriptionId, EventSnapshot event) throws SQLException {
        Target target = loadTarget(subscriptionId);
        if (target == null) {
            throw new IllegalStateException("Subscription " + subscriptionId + " is not a webhook subscription");
        }
        return client.send(target, event);
    }

    // --- one attempt --------------------------------------------------------------------------------------------

    /** One request and its record; {@code requestDone} runs when the endpoint has answered (or the request failed). */
    private CompletableFuture<DeliveryLedger.Recorded> attempt(
            DeliveryLedger.Claim claim,
            Target target,
            DeliveryLedger.Trigger trigger,
            long acceptedAtMillis,
            Runnable requestDone) {
        if (acceptedAtMillis > 0) {
            stageLag.reached(StageLag.Stage.SENT, acceptedAtMillis);
        }
        return client.send(target, claim.event())
                .whenComplete((result, error) -> requestDone.run())
                .thenCompose(result -> {
                    (result.succeeded() ? delivered : failed).increment();
                    long latencyMs =
                            acceptedAtMillis > 0 ? Math.max(0, System.currentTimeMillis() - acceptedAtMillis) : -1;
                    if (result.succeeded()) {
                        flow.delivered(target.subscriptionId(), latencyMs);
                        if (latencyMs >= 0) {
                            endToEnd.record(Duration.ofMillis(latencyMs));
                        }
                    } else {
                        flow.failed(target.subscriptionId());
                    }
                    return ledger.recordSoon(claim, target, result, trigger);
                })
                .thenApply(recorded -> {
                    if (recorded.exhausted()) {
                        deadLetter(claim);
                    }
                    if (recorded.exhausted() || recorded.subscriptionDisabled()) {
                        relay.wake(); // operational events were routed
                    }
                    return recorded;
                });
    }

    /** A copy of the exhausted delivery in the subscription's dead-letter queue, for AMQP consumers and audits. */
    private void deadLetter(DeliveryLedger.Claim claim) {
        AmqpMessage message = claim.event().deadLetter(claim.deliveryId(), json).encode();
        broker.deadLetterSender(Subscription.queueFor(claim.subscriptionId()))
                .compose(sender -> sender.send(message))
                .onFailure(e -> LOG.warnf(
                        "Exhausted delivery %s is recorded but its dead-letter copy was not sent: %s",
                        claim.deliveryId(), e.getMessage()));
    }

    // --- targets ------------------------------------------------------------------------------------------------

    private static final String TARGETS = """
            select id, webhook_url, webhook_headers, webhook_timeout_ms, webhook_secret, webhook_previous_secret,
                   webhook_previous_secret_expires, webhook_format, retry_schedule, max_in_flight, max_per_second
            from subscriptions where kind = 'WEBHOOK'""";

    private Map<String, Target> activeWebhookTargets() throws SQLException {
        Map<String, Target> targets = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TARGETS + " and state = 'ACTIVE'");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                targets.put(rs.getString(1), target(rs));
            }
        }
        return targets;
    }

    /** Reloads one subscription's target into its lane now: a rotated secret signs every request started from here on. */
    void refresh(String subscriptionId) throws SQLException {
        Target target = loadTarget(subscriptionId);
        synchronized (lanes) {
            Lane lane = lanes.get(subscriptionId);
            if (lane != null && target != null) {
                lane.target = target;
            }
        }
    }

    Target loadTarget(String subscriptionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TARGETS + " and id = ?")) {
            statement.setString(1, subscriptionId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? target(rs) : null;
            }
        }
    }

    private Target target(ResultSet rs) throws SQLException {
        List<String> secrets = new ArrayList<>();
        secrets.add(rs.getString(5));
        Timestamp previousExpires = rs.getTimestamp(7);
        if (rs.getString(6) != null
                && previousExpires != null
                && previousExpires.toInstant().isAfter(Instant.now())) {
            secrets.add(rs.getString(6));
        }
        Map<String, String> headers;
        try {
            headers = rs.getString(3) == null
                    ? Map.of()
                    : json.readValue(rs.getString(3), new TypeReference<Map<String, String>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored headers are not JSON", e);
        }
        List<Duration> schedule = rs.getString(9) == null
                ? config.retrySchedule()
                : Arrays.stream(rs.getString(9).split(","))
                        .map(String::trim)
                        .map(Duration::parse)
                        .toList();
        Integer maxInFlight = (Integer) rs.getObject(10);
        return new Target(
                rs.getString(1),
                rs.getString(2),
                headers,
                Duration.ofMillis(rs.getInt(4)),
                List.copyOf(secrets),
                Subscription.Format.valueOf(rs.getString(8)),
                schedule,
                maxInFlight == null ? config.maxInFlight() : maxInFlight,
                (Integer) rs.getObject(11));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The runnable, run at most once however often it is called. */
    private static Runnable once(Runnable runnable) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                runnable.run();
            }
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
