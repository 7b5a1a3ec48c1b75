package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.broker.BrokerClient;
import io.herald.flow.FlowStats;
import io.herald.flow.StageLag;
import io.herald.routing.OutboxRelay;
import io.herald.routing.Subscription;
import io.herald.transform.TransformationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.amqp.AmqpMessage;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One attempt at a subscription's destination and its record, whatever started it (a queue message, a due retry, an
 * operator): the flow figures and metrics, the ledger's group commit, and for an exhausted delivery its copy in the
 * subscription's dead-letter queue.
 */
@Singleton
class AttemptRunner {
    private static final Logger LOG = Logger.getLogger(AttemptRunner.class);

    private final Destinations destinations;
    private final Transformations transformations;
    private final DeliveryLedger ledger;
    private final BrokerClient broker;
    private final OutboxRelay relay;
    private final ObjectMapper json;
    private final FlowStats flow;
    private final StageLag stageLag;
    private final Counter delivered;
    private final Counter failed;
    private final Timer endToEnd;

    AttemptRunner(
            Destinations destinations,
            Transformations transformations,
            DeliveryLedger ledger,
            BrokerClient broker,
            OutboxRelay relay,
            ObjectMapper json,
            FlowStats flow,
            StageLag stageLag,
            MeterRegistry metrics) {
        this.destinations = destinations;
        this.transformations = transformations;
        this.ledger = ledger;
        this.broker = broker;
        this.relay = relay;
        this.json = json;
        this.flow = flow;
        this.stageLag = stageLag;
        this.delivered = Counter.builder("herald.delivery.attempts")
                .tag("outcome", "succeeded")
                .register(metrics);
        this.failed = Counter.builder("herald.delivery.attempts")
                .tag("outcome", "failed")
                .register(metrics);
        this.endToEnd = Timer.builder("herald.delivery.latency")
                .description("Event accepted to delivered (a webhook answered 2xx)")
                .publishPercentileHistogram()
                .register(metrics);
    }

    /**
     * One attempt and its record; {@code requestDone} runs when the destination has answered (or the attempt failed).
     * {@code acceptedAtMillis} is the event's acceptance for latency figures, 0 when they would say nothing (a retry,
     * a replay, an operator's attempt).
     */
    CompletableFuture<DeliveryLedger.Recorded> attempt(
            DeliveryLedger.Claim claim,
            Target target,
            DeliveryLedger.Trigger trigger,
            long acceptedAtMillis,
            Runnable requestDone) {
        if (acceptedAtMillis > 0) {
            stageLag.reached(StageLag.Stage.SENT, acceptedAtMillis);
        }
        return deliver(target, claim.event())
                .whenComplete((outcome, error) -> requestDone.run())
                .thenCompose(outcome -> {
                    count(target, outcome, acceptedAtMillis);
                    return ledger.recordSoon(claim, outcome, trigger, target.retrySchedule());
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

    /**
     * The event, transformed first when the subscription says so: a transformation that fails (or returns what the
     * destination cannot carry) is permanent for this delivery, which is dead-lettered with the reason.
     */
    CompletableFuture<Outcome> deliver(Target target, EventSnapshot event) {
        if (target.transformation() == null) {
            return destinations.attempt(target.endpoint(), event);
        }
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Transformations.Applied applied;
        try {
            applied = transformations.apply(target.transformation(), event);
        } catch (TransformationException e) {
            return CompletableFuture.completedFuture(new Outcome.Permanent(
                    transformationFailed(started, startNanos, "the transformation " + e.describe()), null));
        }
        if (applied.skip()) {
            return CompletableFuture.completedFuture(new Outcome.Skipped(AttemptResult.answered(
                    started, applied.tookMicros() / 1_000, "skipped by the subscription's transformation")));
        }
        Endpoint endpoint = target.endpoint();
        if (!applied.headers().isEmpty()) {
            if (!(endpoint instanceof WebhookEndpoint webhook)) {
                return CompletableFuture.completedFuture(new Outcome.Permanent(
                        transformationFailed(
                                started,
                                startNanos,
                                "the transformation returned headers: only webhook deliveries carry them"),
                        null));
            }
            endpoint = webhook.withHeaders(applied.headers());
        }
        return destinations.attempt(endpoint, applied.event());
    }

    private static AttemptResult transformationFailed(Instant started, long startNanos, String why) {
        return AttemptResult.failed(
                started, AttemptResult.millisSince(startNanos), AttemptResult.ErrorClass.TRANSFORMATION, why);
    }

    private void count(Target target, Outcome outcome, long acceptedAtMillis) {
        if (outcome instanceof Outcome.Skipped) {
            return;
        }
        (outcome.delivered() ? delivered : failed).increment();
        if (!outcome.delivered()) {
            flow.failed(target.subscriptionId());
            return;
        }
        long latencyMs = acceptedAtMillis > 0 ? Math.max(0, System.currentTimeMillis() - acceptedAtMillis) : -1;
        flow.delivered(target.subscriptionId(), latencyMs);
        if (latencyMs >= 0) {
            endToEnd.record(Duration.ofMillis(latencyMs));
        }
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
}
