package io.herald.routing;

import io.herald.broker.BrokerClient;
import io.herald.broker.BrokerTopology;
import io.herald.broker.BrokerUnavailableException;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Deleting a subscription, queue first (ADR 0011): pause it, have every lane leave its queue, delete the queue and its
 * dead-letter queue, and only then the row, so a queue is never left behind by a subscription that is gone.
 */
@Singleton
class SubscriptionDeletion {
    private static final Logger LOG = Logger.getLogger(SubscriptionDeletion.class);
    /** Other instances close a paused subscription's lane within their reconcile interval (a second); this is ample. */
    private static final Duration LANES_RELEASED_WITHIN = Duration.ofSeconds(5);

    private final BrokerClient broker;
    private final Subscriptions subscriptions;
    private final Event<SubscriptionDeleting> deleting;

    SubscriptionDeletion(BrokerClient broker, Subscriptions subscriptions, Event<SubscriptionDeleting> deleting) {
        this.broker = broker;
        this.subscriptions = subscriptions;
        this.deleting = deleting;
    }

    /**
     * Deletes a subscription with its queue. Refused while the queue or the outbox still hold its messages, unless
     * {@code force}: then they are discarded with it.
     * <p>
     * The queue goes first and the row after it, so a queue the broker does not delete (a timeout over a large backlog)
     * is never left behind by a subscription that is gone: the subscription stays, paused, and deleting it again
     * finishes the job. Before the queue is deleted, every Herald lane reading it is detached (see
     * {@link SubscriptionDeleting}).
     */
    void delete(Subscription subscription, boolean force) {
        String id = subscription.id;
        long pending = subscriptions.pendingDeliveries(id);
        long queued = SubscriptionService.await(
                broker.messageCount(subscription.queueName), "count the messages in the subscription's queue");
        if (!force && (pending > 0 || queued > 0)) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "Subscription '" + id + "' still has " + queued
                            + " message(s) in its queue and " + pending
                            + " waiting to be queued; delete it when they are drained, "
                            + "or pass force=true to discard them");
        }
        try {
            releaseQueue(subscription);
            SubscriptionService.await(broker.delete(subscription.queueName), "delete the subscription's queue");
        } catch (BrokerUnavailableException e) {
            String state = subscription.state == Subscription.State.DISABLED ? "disabled" : "paused";
            throw new BrokerUnavailableException(
                    "Subscription '" + id + "' is " + state + " but not deleted: " + e.getMessage()
                            + "; deleting it again finishes the deletion",
                    e);
        }
        QuarkusTransaction.requiringNew().run(() -> subscriptions.delete(id));
    }

    /**
     * Pauses the subscription, so that routing keeps its new deliveries in the outbox (they are discarded with it) and
     * every instance closes its lane at its next reconcile; has this instance's lane detached at once; and, for a
     * subscription Herald delivers, waits a bounded time for the other instances' lanes to leave the queue. A queue
     * subscription's consumers are the user's own programs and are not waited for.
     */
    private void releaseQueue(Subscription subscription) {
        QuarkusTransaction.requiringNew().run(() -> subscriptions.pauseIfActive(subscription.id));
        deleting.fire(new SubscriptionDeleting(subscription.id, subscription.queueName));
        if (!subscription.kind.delivered()) {
            return;
        }
        long deadline = System.nanoTime() + LANES_RELEASED_WITHIN.toNanos();
        int consumers;
        while ((consumers = SubscriptionService.await(
                                        broker.inspect(subscription.queueName), "inspect the subscription's queue")
                                .map(BrokerTopology.QueueState::consumers)
                                .orElse(0))
                        > 0
                && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        if (consumers > 0) {
            // Another instance's lane, or (RabbitMQ quorum queues) a closed lane whose unsettled messages the broker
            // still counts as a consumer until the session returns them.
            LOG.warnf(
                    "The broker still counts %d consumer(s) on the queue of subscription %s after %d s; deleting it anyway",
                    consumers, subscription.id, LANES_RELEASED_WITHIN.toSeconds());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while waiting for the subscription's lanes to close", e);
        }
    }
}
