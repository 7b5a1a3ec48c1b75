package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.broker.BrokerClient;
import io.herald.broker.EventMessage;
import io.herald.broker.QueueReceiver;
import io.herald.flow.StageLag;
import io.herald.platform.PlatformConfig;
import io.herald.platform.Threads;
import io.herald.routing.Subscription;
import io.herald.routing.SubscriptionDeleting;
import io.herald.store.OrderedRows;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Delivers subscriptions' events to their destinations. Each active webhook subscription has a {@link Lane} on every
 * instance: a receiver on its queue (competing with other instances' receivers), at most {@code max-in-flight}
 * requests at once, so a slow or dead endpoint holds only its own lane. Lanes follow subscriptions created, paused,
 * resumed, disabled and deleted at run time. First attempts come from the queue; retries are scheduled in PostgreSQL
 * and claimed by any instance when due ({@link RetryPoller}). A queue message is settled only after its attempt is
 * recorded.
 */
@Singleton
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** Bounds the wait for a lane's attach in flight when its subscription is deleted (attaches time out on their own). */
    private static final Duration ATTACH_WAIT = Duration.ofSeconds(15);
    /** How often lanes re-read their subscriptions (settings, secrets, pauses made on other instances). */
    static final long RECONCILE_INTERVAL_MS = 1000;

    private final BrokerClient broker;
    private final DeliveryLedger ledger;
    private final OrderedLines lines;
    private final AttemptRunner attempts;
    private final Targets targets;
    private final WebhookClient webhooks;
    private final RetryPoller retries;
    private final ObjectMapper json;
    private final StageLag stageLag;
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
    private final ExecutorService attemptStarts =
            Executors.newFixedThreadPool(8, Threads.daemons("herald-delivery-start"));

    private Thread reconciler;
    private volatile boolean running = true;

    Dispatcher(
            BrokerClient broker,
            DeliveryLedger ledger,
            OrderedLines lines,
            AttemptRunner attempts,
            Targets targets,
            WebhookClient webhooks,
            DeliveryConfig config,
            ObjectMapper json,
            StageLag stageLag,
            PlatformConfig platform) {
        this.broker = broker;
        this.ledger = ledger;
        this.lines = lines;
        this.attempts = attempts;
        this.targets = targets;
        this.webhooks = webhooks;
        this.json = json;
        this.stageLag = stageLag;
        this.shutdown = platform.shutdown();
        this.retries = new RetryPoller(ledger, attempts, config, lanes::get);
        lines.onReleased(retries::wake);
    }

    void start(@Observes @Priority(BrokerClient.STARTUP_PRIORITY + 20) StartupEvent event) {
        reconciler = Threads.startDaemon("herald-dispatcher", this::reconcileLoop);
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
        retries.stopClaiming();
        lanes.values().forEach(Lane::stopTaking);
        long deadline = System.nanoTime() + shutdown.grace().toNanos();
        while (System.nanoTime() < deadline
                && !(retries.idle() && lanes.values().stream().allMatch(Lane::idle))) {
            Threads.sleepQuietly(20);
        }
        long lanesBusy = lanes.values().stream().filter(lane -> !lane.idle()).count();
        int handedBack = retries.handBack();
        lanes.values().forEach(this::close);
        attemptStarts.shutdown();
        LOG.infof(
                "Delivery stopped: %s; %d retries still running handed back",
                lanesBusy == 0 ? "every attempt in flight answered and recorded" : lanesBusy + " lanes still busy",
                handedBack);
    }

    // --- lanes follow subscriptions ---------------------------------------------------------------------------

    private void reconcileLoop() {
        while (running) {
            try {
                reconcile();
                sweepLines();
                Thread.sleep(RECONCILE_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf("Dispatcher could not read subscriptions: %s", e.getMessage());
                Threads.sleepQuietly(1000);
            }
        }
    }

    void reconcile() {
        long deletionsBeforeRead = deletions.get();
        Map<String, Target> active = targets.active();
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
        Runnable requestDone = Once.of(lane::requestDone);
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
                                // A duplicate message of a delivery already handled.
                                return CompletableFuture.completedFuture(null);
                            }
                            if (target.ordered() && !admitted(deliveryId)) {
                                // Behind an earlier delivery of its key (recorded WAITING; its line releases it), or a
                                // duplicate message of a head another lane is attempting: nothing to attempt.
                                return CompletableFuture.completedFuture(null);
                            }
                            DeliveryLedger.Claim claim = new DeliveryLedger.Claim(
                                    deliveryId,
                                    lane.subscriptionId,
                                    claimed.get(),
                                    EventSnapshot.of(EventMessage.decode(message), json));
                            return lane.afterSlot(() -> attempts.attempt(
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

    /**
     * Whether an ordered subscription's delivery heads its key's line and is now taken for this attempt (a failure to
     * tell is thrown: the message is redelivered).
     */
    private boolean admitted(String deliveryId) {
        try {
            OrderedRows.Admission admission = lines.admit(deliveryId);
            return admission == OrderedRows.Admission.HEAD || admission == OrderedRows.Admission.UNORDERED;
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private void sweepLines() {
        try {
            lines.sweep();
        } catch (SQLException e) {
            LOG.debugf("Ordered lines not swept: %s", e.getMessage());
        }
    }

    // --- an operator's attempts -------------------------------------------------------------------------------

    /** Attempts a delivery now, whatever its state; a failure is recorded but not rescheduled. */
    public CompletableFuture<DeliveryLedger.Recorded> retryNow(DeliveryLedger.Claim claim) throws SQLException {
        Target target = targets.load(claim.subscriptionId());
        if (target == null) {
            throw new IllegalStateException("Subscription " + claim.subscriptionId()
                    + " is a queue subscription: its consumers read the queue");
        }
        return attempts.attempt(claim, target, DeliveryLedger.Trigger.MANUAL, 0, () -> {});
    }

    /** Sends an event to a webhook subscription's endpoint once, recording nothing: the operator's "send a test". */
    public CompletableFuture<AttemptResult> sendOnce(String subscriptionId, EventSnapshot event) throws SQLException {
        Target target = targets.load(subscriptionId);
        if (target == null || !(target.endpoint() instanceof WebhookEndpoint endpoint)) {
            throw new IllegalStateException("Subscription " + subscriptionId + " is not a webhook subscription");
        }
        return webhooks.send(endpoint, event);
    }

    /** Reloads one subscription's target into its lane now: a rotated secret signs every request started from here on. */
    void refresh(String subscriptionId) throws SQLException {
        Target target = targets.load(subscriptionId);
        synchronized (lanes) {
            Lane lane = lanes.get(subscriptionId);
            if (lane != null && target != null) {
                lane.target = target;
            }
        }
    }
}
