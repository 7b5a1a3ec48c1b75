package io.herald.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.broker.BrokerClient;
import io.herald.broker.BrokerTopology;
import io.herald.broker.BrokerUnavailableException;
import io.herald.platform.Ids;
import io.herald.platform.Paging;
import io.herald.platform.TopicPattern;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.QueueOut;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPage;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import io.herald.routing.SubscriptionDtos.WebhookOut;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Subscriptions: a topic (or pattern), an optional filter, and a kind: {@code webhook}, {@code nats}, {@code redis}, {@code kafka} or {@code sqs}
 * (Herald delivers to the destination) or {@code queue} (the consumer reads the AMQP queue itself). The queue and its dead-letter queue are declared on the
 * broker before the subscription exists, so nothing is ever routed to a queue that is not there.
 */
@ApplicationScoped
public class SubscriptionService {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);

    private final ObjectMapper json;
    private final BrokerClient broker;
    private final WebhookSettings webhooks;
    private final DestinationSettings destinations;
    private final WebhookCredentials credentials;
    private final Subscriptions subscriptions;
    private final SubscriptionDeletion deletion;

    SubscriptionService(
            ObjectMapper json,
            BrokerClient broker,
            WebhookSettings webhooks,
            DestinationSettings destinations,
            WebhookCredentials credentials,
            Subscriptions subscriptions,
            SubscriptionDeletion deletion) {
        this.credentials = credentials;
        this.json = json;
        this.broker = broker;
        this.webhooks = webhooks;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.deletion = deletion;
    }

    public SubscriptionOut create(SubscriptionIn in) {
        if (in == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body describing the subscription is required");
        }
        Violations violations = new Violations();
        String patternProblem = TopicPattern.problem(in.topic());
        if (patternProblem != null) {
            violations.add("/topic", patternProblem);
        }
        checkName(in.name(), violations);
        Subscription.Kind kind = kind(in.kind(), violations);
        EventFilter.parse(in.filter(), "/filter", violations);
        if (in.webhook() != null && kind != null && kind != Subscription.Kind.WEBHOOK) {
            violations.add("/webhook", "only webhook subscriptions have webhook settings");
        }
        if (kind == Subscription.Kind.WEBHOOK) {
            if (in.webhook() == null) {
                violations.add("/webhook", "is required for a webhook subscription: {\"url\": \"https://...\"}");
            } else {
                webhooks.check(in.webhook(), true, violations);
                credentials.check(in.webhook(), in.webhook().url(), violations);
            }
        }
        destinations.checkNew(kind, in, violations);
        DeliveryShape.check(kind, in.transformation(), in.ordered(), in.orderingKey(), violations);
        violations.throwIfAny();

        Subscription subscription = new Subscription();
        subscription.id = Ids.next("sub");
        subscription.name = blankToNull(in.name());
        subscription.topicPattern = in.topic();
        subscription.kind = kind;
        subscription.state = Subscription.State.ACTIVE;
        subscription.queueName = Subscription.queueFor(subscription.id);
        subscription.filter =
                in.filter() == null || in.filter().isNull() ? null : in.filter().toString();
        if (kind == Subscription.Kind.WEBHOOK) {
            subscription.webhookUrl = in.webhook().url();
            subscription.webhookHeaders = headersJson(in.webhook().headers());
            subscription.webhookTimeoutMs =
                    (int) webhooks.timeout(in.webhook().timeout()).toMillis();
            subscription.webhookSecret = SubscriptionSecrets.newSecret();
            if (in.webhook().format() != null) {
                subscription.webhookFormat = webhooks.format(in.webhook().format());
            }
            DeliveryLimits.apply(subscription, in.webhook());
            credentials.apply(subscription, in.webhook());
        }
        destinations.apply(subscription, in.nats(), in.redis(), in.kafka(), in.sqs());
        DeliveryShape.apply(subscription, in.transformation(), in.ordered(), in.orderingKey());
        subscription.createdAt = now();
        subscription.updatedAt = subscription.createdAt;
        // The queue exists before the subscription does: no event is routed to a queue that is not there.
        await(broker.declare(subscription.queueName), "declare the subscription's queue");
        subscriptions.insert(subscription);
        return out(subscription, true);
    }

    public SubscriptionPage list(String after, String limit) {
        int size = Paging.limit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        List<Subscription> found = subscriptions.page(after == null || after.isEmpty() ? null : after, size + 1);
        boolean more = found.size() > size;
        List<SubscriptionOut> items =
                found.stream().limit(size).map(s -> out(s, false)).toList();
        return new SubscriptionPage(items, more ? items.get(items.size() - 1).id() : null);
    }

    public SubscriptionOut get(String id) {
        return out(find(id), false);
    }

    /** The webhook signing secret, for the operator who has to configure the receiver. */
    public String secret(String id) {
        Subscription subscription = find(id);
        if (subscription.kind != Subscription.Kind.WEBHOOK) {
            throw new ApiProblem(
                    ProblemType.NOT_FOUND,
                    "Subscription '" + id + "' is a " + subscription.kind.name().toLowerCase(Locale.ROOT)
                            + " subscription and has no secret: only webhooks are signed");
        }
        return subscription.webhookSecret;
    }

    public SubscriptionOut update(String id, SubscriptionPatch patch) {
        if (patch == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body with the fields to change is required");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Subscription subscription = find(id);
            Violations violations = new Violations();
            checkName(patch.name(), violations);
            Subscription.State state = patch.state() == null ? null : state(patch.state(), violations);
            if (patch.filter() != null) {
                EventFilter.parse(patch.filter(), "/filter", violations);
            }
            if (patch.webhook() != null) {
                if (subscription.kind != Subscription.Kind.WEBHOOK) {
                    violations.add("/webhook", "only webhook subscriptions have webhook settings");
                } else {
                    webhooks.check(patch.webhook(), false, violations);
                    credentials.check(
                            patch.webhook(),
                            patch.webhook().url() != null ? patch.webhook().url() : subscription.webhookUrl,
                            violations);
                }
            }
            destinations.checkChange(subscription.kind, patch, violations);
            DeliveryShape.check(
                    subscription.kind, patch.transformation(), patch.ordered(), patch.orderingKey(), violations);
            violations.throwIfAny();
            if (patch.name() != null) {
                subscription.name = blankToNull(patch.name());
            }
            boolean resetHealth = state == Subscription.State.ACTIVE;
            if (state != null) {
                if (resetHealth) {
                    // Re-enabling is explicit, and starts the endpoint's health count afresh.
                    subscription.consecutiveFailures = 0;
                    subscription.failingSince = null;
                    subscription.disabledReason = null;
                }
                subscription.state = state;
            }
            if (patch.filter() != null) {
                subscription.filter =
                        patch.filter().isNull() ? null : patch.filter().toString();
            }
            if (patch.webhook() != null) {
                if (patch.webhook().url() != null) {
                    subscription.webhookUrl = patch.webhook().url();
                }
                if (patch.webhook().headers() != null) {
                    subscription.webhookHeaders = headersJson(patch.webhook().headers());
                }
                if (patch.webhook().timeout() != null) {
                    subscription.webhookTimeoutMs =
                            (int) webhooks.timeout(patch.webhook().timeout()).toMillis();
                }
                if (patch.webhook().format() != null) {
                    subscription.webhookFormat = webhooks.format(patch.webhook().format());
                }
                DeliveryLimits.apply(subscription, patch.webhook());
                credentials.apply(subscription, patch.webhook());
            }
            destinations.apply(subscription, patch.nats(), patch.redis(), patch.kafka(), patch.sqs());
            DeliveryShape.apply(subscription, patch.transformation(), patch.ordered(), patch.orderingKey());
            subscription.updatedAt = now();
            subscriptions.update(subscription, resetHealth);
            return out(subscription, false);
        });
    }

    /**
     * Deletes a subscription queue first, after every lane has left the queue (ADR 0011); see
     * {@link SubscriptionDeletion}.
     */
    public void delete(String id, boolean force) {
        deletion.delete(find(id), force);
    }

    // ---------------------------------------------------------------------------------------------------------

    private Subscription find(String id) {
        Subscription subscription = subscriptions.find(id);
        if (subscription == null) {
            throw ApiProblem.notFound("Subscription", id);
        }
        return subscription;
    }

    private static void checkName(String name, Violations violations) {
        if (name != null && name.length() > 200) {
            violations.add("/name", "must be at most 200 characters");
        }
    }

    private static Subscription.Kind kind(String kind, Violations violations) {
        for (Subscription.Kind known : Subscription.Kind.values()) {
            if (known.name().toLowerCase(Locale.ROOT).equals(kind)) {
                return known;
            }
        }
        violations.add(
                "/kind",
                kind == null
                        ? "is required: webhook, queue, nats, redis, kafka or sqs"
                        : "'" + kind + "' is not webhook, queue, nats, redis, kafka or sqs");
        return null;
    }

    private static Subscription.State state(String state, Violations violations) {
        if ("active".equals(state)) {
            return Subscription.State.ACTIVE;
        }
        if ("paused".equals(state)) {
            return Subscription.State.PAUSED;
        }
        violations.add("/state", "'" + state + "' is not active or paused");
        return null;
    }

    private String headersJson(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(new LinkedHashMap<>(headers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SubscriptionOut out(Subscription subscription, boolean withSecret) {
        WebhookOut webhook = null;
        QueueOut queue = null;
        if (subscription.kind == Subscription.Kind.WEBHOOK) {
            Map<String, String> headers = null;
            try {
                headers = subscription.webhookHeaders == null
                        ? null
                        : json.readValue(
                                subscription.webhookHeaders, new TypeReference<LinkedHashMap<String, String>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored headers are not JSON", e);
            }
            webhook = new WebhookOut(
                    webhooks.withoutCredentials(subscription.webhookUrl),
                    headers,
                    Duration.ofMillis(subscription.webhookTimeoutMs).toString(),
                    subscription.webhookFormat.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    DeliveryLimits.schedule(subscription),
                    subscription.maxInFlight,
                    subscription.maxPerSecond,
                    withSecret ? subscription.webhookSecret : null,
                    credentials.authOut(subscription),
                    credentials.tlsOut(subscription));
        } else if (subscription.kind == Subscription.Kind.QUEUE) {
            BrokerTopology topology = broker.topology();
            queue = new QueueOut(
                    topology.address(subscription.queueName),
                    topology.address(BrokerTopology.deadLetterQueue(subscription.queueName)),
                    topology.flavour().name().toLowerCase(Locale.ROOT));
        }
        JsonNode filter;
        try {
            filter = subscription.filter == null ? null : json.readTree(subscription.filter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored filter is not JSON", e);
        }
        return new SubscriptionOut(
                subscription.id,
                subscription.name,
                subscription.topicPattern,
                subscription.kind.name().toLowerCase(Locale.ROOT),
                subscription.state.name().toLowerCase(Locale.ROOT),
                subscription.disabledReason,
                filter,
                webhook,
                queue,
                subscription.kind == Subscription.Kind.NATS ? destinations.nats(subscription) : null,
                subscription.kind == Subscription.Kind.REDIS ? destinations.redis(subscription) : null,
                subscription.kind == Subscription.Kind.KAFKA ? destinations.kafka(subscription) : null,
                subscription.kind == Subscription.Kind.SQS ? destinations.sqs(subscription) : null,
                subscription.transformation,
                subscription.kind.delivered() ? subscription.ordered : null,
                subscription.ordered
                        ? (subscription.orderingKey == null ? "partitionkey" : subscription.orderingKey)
                        : null,
                subscription.createdAt,
                subscription.updatedAt);
    }

    /** The broker's answer within 30 s, or {@link BrokerUnavailableException} saying what could not be done. */
    static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerUnavailableException unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailableException(
                    "Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("Could not " + what + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while trying to " + what, e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
