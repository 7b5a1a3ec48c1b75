package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.delivery.DeliveryDtos.AttemptList;
import io.herald.delivery.DeliveryDtos.AttemptOut;
import io.herald.delivery.DeliveryDtos.DeliveryOut;
import io.herald.delivery.DeliveryDtos.DeliveryPage;
import io.herald.delivery.DeliveryDtos.RedriveIn;
import io.herald.delivery.DeliveryDtos.RedriveOut;
import io.herald.delivery.DeliveryDtos.ReplayIn;
import io.herald.delivery.DeliveryDtos.ReplayOut;
import io.herald.delivery.DeliveryDtos.RetryOut;
import io.herald.delivery.DeliveryDtos.SecretOut;
import io.herald.platform.Database;
import io.herald.platform.Paging;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.ServiceUnavailableException;
import io.herald.platform.problem.Violations;
import io.herald.routing.EventFilter;
import io.herald.routing.OutboxRelay;
import io.herald.routing.Subscription;
import io.herald.routing.Subscriptions;
import io.herald.store.DeliveryRows;
import io.herald.store.DeliveryState;
import io.herald.store.OrderedRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Deliveries and the operator's actions on them: read deliveries and attempts, retry one now, discard, redrive
 * exhausted ones, replay stored events into one subscription. The REST API and the console both call this.
 */
@ApplicationScoped
public class DeliveryService {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);
    static final List<String> STATES =
            Arrays.stream(DeliveryState.values()).map(DeliveryState::apiName).toList();

    private final AgroalDataSource dataSource;
    private final DeliveryLedger ledger;
    private final OrderedLines lines;
    private final Dispatcher dispatcher;
    private final OutboxRelay relay;
    private final ObjectMapper json;
    private final Subscriptions subscriptions;
    private final ReplayJobs replays;

    DeliveryService(
            AgroalDataSource dataSource,
            DeliveryLedger ledger,
            OrderedLines lines,
            Dispatcher dispatcher,
            OutboxRelay relay,
            ObjectMapper json,
            Subscriptions subscriptions,
            ReplayJobs replays) {
        this.dataSource = dataSource;
        this.subscriptions = subscriptions;
        this.replays = replays;
        this.ledger = ledger;
        this.lines = lines;
        this.dispatcher = dispatcher;
        this.relay = relay;
        this.json = json;
    }

    public DeliveryOut get(String id) {
        return rows(connection -> DeliveryRows.find(connection, id).stream().toList()).stream()
                .findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Delivery", id));
    }

    public AttemptList attempts(String id) {
        get(id);
        List<AttemptOut> attempts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select attempted_at, duration_ms, status_code, outcome, error_class, error, response_excerpt, trigger "
                                + "from delivery_attempts where delivery_id = ? order by attempted_at, id")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    attempts.add(attempt(rs));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return new AttemptList(attempts);
    }

    public DeliveryPage ofSubscription(String subscriptionId, String state, String after, String limit) {
        requireSubscription(subscriptionId);
        int size = Paging.limit(limit, 50, 500);
        if (state != null && !state.isEmpty() && !STATES.contains(state)) {
            throw ApiProblem.invalid(
                    List.of(new FieldError("/state", "query parameter 'state' must be one of " + STATES)));
        }
        DeliveryState wanted = state == null || state.isEmpty() ? null : DeliveryState.ofApiName(state);
        String cursor = after == null || after.isEmpty() ? null : after;
        List<DeliveryOut> items =
                rows(connection -> DeliveryRows.ofSubscription(connection, subscriptionId, wanted, cursor, size + 1));
        boolean more = items.size() > size;
        if (more) {
            items = items.subList(0, size);
        }
        return new DeliveryPage(items, more ? items.get(items.size() - 1).id() : null);
    }

    /** Attempts the delivery now; a failure is recorded, not rescheduled. */
    public RetryOut retryNow(String id) {
        DeliveryOut delivery = get(id);
        if (delivery.state().equals("discarded")) {
            throw new ApiProblem(ProblemType.CONFLICT, "Delivery '" + id + "' was discarded; it is not retried");
        }
        if (delivery.state().equals("waiting")) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "Delivery '" + id + "' waits for the earlier deliveries of its ordering key; attempting it now "
                            + "would deliver it out of order (redrive or discard the one that holds the key)");
        }
        awaitAttempt(
                () -> dispatcher.retryNow(ledger.find(id)
                        .orElseThrow(() -> new ApiProblem(
                                ProblemType.CONFLICT,
                                "The event of delivery '" + id + "' is no longer in the store (retention)"))),
                null);
        List<AttemptOut> attempts = attempts(id).items();
        return new RetryOut(attempts.get(attempts.size() - 1), get(id));
    }

    /**
     * Sends a test event ({@code herald.test}) to a webhook subscription's endpoint once, signed like any delivery,
     * and says what came back. Nothing is stored: it checks an endpoint, it is not an event.
     */
    public AttemptOut sendTest(String subscriptionId) {
        requireSubscription(subscriptionId);
        String id = io.herald.platform.Ids.next("evt");
        com.fasterxml.jackson.databind.node.ObjectNode data = json.createObjectNode()
                .put("test", true)
                .put("message", "A test event sent from the Herald console")
                .put("subscriptionId", subscriptionId);
        EventSnapshot event = new EventSnapshot(
                id,
                "herald.test",
                id,
                "/herald/console",
                "herald.test",
                null,
                Instant.now().toString(),
                "application/json",
                data.toString(),
                null);
        AttemptResult result = awaitAttempt(
                () -> dispatcher.sendOnce(subscriptionId, event),
                "Only webhook subscriptions can be sent a test event");
        return new AttemptOut(
                result.at(),
                (int) result.durationMs(),
                result.status(),
                result.succeeded() ? "succeeded" : "failed",
                result.errorClass() == null ? null : result.errorClass().name(),
                result.error(),
                result.responseExcerpt(),
                "manual");
    }

    /** An attempt started by an operator's request, waited for; the request answers when the receiver has. */
    private interface AttemptCall<T> {
        CompletableFuture<T> start() throws SQLException;
    }

    /** Waits for the attempt; {@code notWebhook} words the 409 for a subscription that is not a webhook (null: the cause's). */
    private <T> T awaitAttempt(AttemptCall<T> call, String notWebhook) {
        try {
            return call.start().get(2, TimeUnit.MINUTES);
        } catch (SQLException | ExecutionException | TimeoutException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (IllegalStateException e) {
            throw new ApiProblem(ProblemType.CONFLICT, notWebhook == null ? e.getMessage() : notWebhook);
        }
    }

    public DeliveryOut discard(String id) {
        DeliveryOut delivery = get(id);
        if (delivery.state().equals("delivered")) {
            throw new ApiProblem(
                    ProblemType.CONFLICT, "Delivery '" + id + "' was delivered; there is nothing to discard");
        }
        int released;
        try {
            released = Database.inTransaction(dataSource, connection -> {
                DeliveryRows.discardUndelivered(connection, id);
                // A discarded head of an ordered line lets the key's next delivery go.
                return OrderedRows.finished(connection, List.of(id));
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
        lines.released(released);
        return get(id);
    }

    /** Puts exhausted deliveries (the listed ones, or all of the subscription's when none are listed) back on the retry schedule from its start. */
    public RedriveOut redrive(String subscriptionId, RedriveIn in) {
        requireSubscription(subscriptionId);
        List<String> listed = in == null ? null : in.deliveryIds();
        try (Connection connection = dataSource.getConnection()) {
            return new RedriveOut(DeliveryRows.redrive(connection, subscriptionId, listed));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Replays stored events of the subscription's topics accepted in [from, to) and matching the filter (the
     * subscription's own when none is given) as new deliveries marked as replays, at most {@code ratePerSecond}
     * per second. A dry run only counts them.
     */
    public ReplayOut replay(String subscriptionId, ReplayIn in) {
        Subscription subscription = requireSubscription(subscriptionId);
        if (in == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body {\"from\": ..., \"to\": ...} is required");
        }
        Violations violations = new Violations();
        Instant from = time(in.from(), "/from", violations, true);
        Instant to = time(in.to(), "/to", violations, false);
        if (from != null && to != null && !from.isBefore(to)) {
            violations.add("/to", "must be after 'from'");
        }
        int rate = in.ratePerSecond() == null ? 100 : in.ratePerSecond();
        if (rate < 1 || rate > 10_000) {
            violations.add("/ratePerSecond", "must be between 1 and 10000");
        }
        EventFilter filter = EventFilter.MATCH_ALL;
        try {
            JsonNode filterNode = in.filter() != null
                    ? in.filter()
                    : subscription.filter == null ? null : json.readTree(subscription.filter);
            filter = EventFilter.parse(filterNode, "/filter", violations);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        violations.throwIfAny();

        Instant until = to == null ? Instant.now() : to;
        int matched = replays.count(subscription, from, until, filter);
        boolean dryRun = Boolean.TRUE.equals(in.dryRun());
        if (dryRun || matched == 0) {
            return new ReplayOut(matched, dryRun, 0, null, null);
        }
        String filterText = in.filter() != null ? in.filter().toString() : subscription.filter;
        String id = replays.start(subscriptionId, from, until, filterText, rate, matched);
        return new ReplayOut(matched, false, matched, id, "running");
    }

    /**
     * A new signing secret; the previous one keeps signing (both signatures are sent) for the grace period. Answers once
     * every request started from then on carries the new signature: this instance's lane takes the secret at once, and
     * the answer waits out one reconcile period of the others' lanes.
     */
    public SecretOut rotateSecret(String subscriptionId, java.time.Duration grace) {
        SecretOut rotated = rotate(subscriptionId, grace);
        try {
            dispatcher.refresh(subscriptionId);
            Thread.sleep(Dispatcher.RECONCILE_INTERVAL_MS + 250);
        } catch (SQLException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rotated;
    }

    private SecretOut rotate(String subscriptionId, java.time.Duration grace) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            Subscription subscription = requireSubscription(subscriptionId);
            if (subscription.kind != Subscription.Kind.WEBHOOK) {
                throw new ApiProblem(
                        ProblemType.CONFLICT,
                        "Subscription '" + subscriptionId + "' is a "
                                + subscription.kind.name().toLowerCase(Locale.ROOT)
                                + " subscription and has no secret: only webhooks are signed");
            }
            Instant until = Instant.now().plus(grace).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            subscription.webhookPreviousSecret = subscription.webhookSecret;
            subscription.webhookPreviousSecretExpires = until;
            subscription.webhookSecret = io.herald.routing.SubscriptionSecrets.newSecret();
            subscription.updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            subscriptions.updateSecrets(subscription);
            return new SecretOut(subscription.webhookSecret, until);
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    void requireSubscriptionExists(String id) {
        requireSubscription(id);
    }

    private Subscription requireSubscription(String id) {
        Subscription subscription = subscriptions.find(id);
        if (subscription == null) {
            throw ApiProblem.notFound("Subscription", id);
        }
        return subscription;
    }

    private static Instant time(String value, String pointer, Violations violations, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                violations.add(pointer, "is required: an RFC 3339 time such as 2026-11-26T10:00:00Z");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(pointer, "must be an RFC 3339 time such as 2026-11-26T10:00:00Z, not '" + value + "'");
            return null;
        }
    }

    /** The deliveries read by {@code read}, as the API shows them. */
    private List<DeliveryOut> rows(Database.Work<List<DeliveryRows.Row>> read) {
        try (Connection connection = dataSource.getConnection()) {
            return read.run(connection).stream()
                    .map(row -> new DeliveryOut(
                            row.id(),
                            row.eventId(),
                            row.subscriptionId(),
                            row.state().apiName(),
                            row.attempts(),
                            row.nextAttemptAt(),
                            row.createdAt(),
                            row.queuedAt(),
                            row.finishedAt(),
                            row.replay()))
                    .toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static AttemptOut attempt(ResultSet rs) throws SQLException {
        return new AttemptOut(
                rs.getTimestamp(1).toInstant(),
                rs.getInt(2),
                (Integer) rs.getObject(3),
                rs.getString(4).toLowerCase(Locale.ROOT),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8).toLowerCase(Locale.ROOT));
    }

    private static ServiceUnavailableException unavailable(Exception e) {
        return new ServiceUnavailableException("The delivery store is unavailable", e);
    }
}
