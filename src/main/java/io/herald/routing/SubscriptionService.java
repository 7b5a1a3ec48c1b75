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
import io.herald.platform.SsrfGuard;
import io.herald.platform.TopicPattern;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.QueueOut;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPage;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import io.herald.routing.SubscriptionDtos.WebhookOut;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Subscriptions: a topic (or pattern), an optional filter, and a kind: {@code webhook} (Herald delivers) or
 * {@code queue} (the consumer reads the AMQP queue itself). The queue and its dead-letter queue are declared on the
 * broker before the subscription exists, so nothing is ever routed to a queue that is not there.
 */
@ApplicationScoped
public class SubscriptionService {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_HEADERS = 20;
    /** Headers Herald sets itself on every webhook request. */
    static final Set<String> RESERVED_HEADERS = Set.of(
            "host",
            "content-type",
            "content-length",
            "user-agent",
            "traceparent",
            "tracestate",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
            "connection",
            "transfer-encoding");
    /** Other instances close a paused subscription's lane within their reconcile interval (a second); this is ample. */
    private static final Duration LANES_RELEASED_WITHIN = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    private final ObjectMapper json;
    private final BrokerClient broker;
    private final SsrfGuard ssrf;
    private final Subscriptions subscriptions;
    private final Event<SubscriptionDeleting> deleting;

    SubscriptionService(
            ObjectMapper json,
            BrokerClient broker,
            SsrfGuard ssrf,
            Subscriptions subscriptions,
            Event<SubscriptionDeleting> deleting) {
        this.json = json;
        this.broker = broker;
        this.ssrf = ssrf;
        this.subscriptions = subscriptions;
        this.deleting = deleting;
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
        if (kind == Subscription.Kind.WEBHOOK) {
            if (in.webhook() == null) {
                violations.add("/webhook", "is required for a webhook subscription: {\"url\": \"https://...\"}");
            } else {
                checkWebhook(in.webhook(), true, violations);
            }
        } else if (kind == Subscription.Kind.QUEUE && in.webhook() != null) {
            violations.add("/webhook", "only webhook subscriptions have webhook settings");
        }
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
                    (int) timeout(in.webhook().timeout()).toMillis();
            subscription.webhookSecret = SubscriptionSecrets.newSecret();
            if (in.webhook().format() != null) {
                subscription.webhookFormat = format(in.webhook().format());
            }
            applyLimits(subscription, in.webhook());
        }
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
                    ProblemType.NOT_FOUND, "Subscription '" + id + "' is a queue subscription and has no secret");
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
                    checkWebhook(patch.webhook(), false, violations);
                }
            }
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
                            (int) timeout(patch.webhook().timeout()).toMillis();
                }
                if (patch.webhook().format() != null) {
                    subscription.webhookFormat = format(patch.webhook().format());
                }
                applyLimits(subscription, patch.webhook());
            }
            subscription.updatedAt = now();
            subscriptions.update(subscription, resetHealth);
            return out(subscription, false);
        });
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
    public void delete(String id, boolean force) {
        Subscription subscription = find(id);
        long pending = subscriptions.pendingDeliveries(id);
        long queued =
                await(broker.messageCount(subscription.queueName), "count the messages in the subscription's queue");
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
            await(broker.delete(subscription.queueName), "delete the subscription's queue");
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
     * webhook subscription, waits a bounded time for the other instances' lanes to leave the queue. A queue
     * subscription's consumers are the user's own programs and are not waited for.
     */
    private void releaseQueue(Subscription subscription) {
        QuarkusTransaction.requiringNew().run(() -> subscriptions.pauseIfActive(subscription.id));
        deleting.fire(new SubscriptionDeleting(subscription.id, subscription.queueName));
        if (subscription.kind != Subscription.Kind.WEBHOOK) {
            return;
        }
        long deadline = System.nanoTime() + LANES_RELEASED_WITHIN.toNanos();
        int consumers;
        while ((consumers = await(broker.inspect(subscription.queueName), "inspect the subscription's queue")
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
        if ("webhook".equals(kind)) {
            return Subscription.Kind.WEBHOOK;
        }
        if ("queue".equals(kind)) {
            return Subscription.Kind.QUEUE;
        }
        violations.add(
                "/kind", kind == null ? "is required: webhook or queue" : "'" + kind + "' is not webhook or queue");
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

    private void checkWebhook(WebhookIn webhook, boolean creating, Violations violations) {
        if (webhook.url() != null || creating) {
            String problem = urlProblem(webhook.url());
            if (problem == null) {
                problem = ssrf.problem(webhook.url());
            }
            if (problem != null) {
                violations.add("/webhook/url", problem);
            }
        }
        if (webhook.timeout() != null) {
            try {
                Duration timeout = Duration.parse(webhook.timeout());
                if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                    violations.add("/webhook/timeout", "must be between PT1S and PT60S");
                }
            } catch (DateTimeParseException e) {
                violations.add(
                        "/webhook/timeout",
                        "must be an ISO-8601 duration such as PT15S, not '" + webhook.timeout() + "'");
            }
        }
        // An empty list means "not given" (generated clients send one by default): the global schedule applies.
        if (webhook.retrySchedule() != null && !webhook.retrySchedule().isEmpty()) {
            if (webhook.retrySchedule().size() > 20) {
                violations.add(
                        "/webhook/retrySchedule", "must list at most 20 delays (the first is the first attempt)");
            }
            for (int i = 0; i < webhook.retrySchedule().size(); i++) {
                try {
                    Duration delay = Duration.parse(webhook.retrySchedule().get(i));
                    if (delay.isNegative() || delay.compareTo(Duration.ofDays(1)) > 0) {
                        violations.add("/webhook/retrySchedule/" + i, "must be between PT0S and P1D");
                    }
                } catch (DateTimeParseException | NullPointerException e) {
                    violations.add("/webhook/retrySchedule/" + i, "must be an ISO-8601 duration such as PT5M");
                }
            }
        }
        if (webhook.maxInFlight() != null && (webhook.maxInFlight() < 1 || webhook.maxInFlight() > 100)) {
            violations.add("/webhook/maxInFlight", "must be between 1 and 100");
        }
        if (webhook.maxPerSecond() != null && (webhook.maxPerSecond() < 1 || webhook.maxPerSecond() > 10_000)) {
            violations.add("/webhook/maxPerSecond", "must be between 1 and 10000");
        }
        if (webhook.format() != null && format(webhook.format()) == null) {
            violations.add(
                    "/webhook/format",
                    "'" + webhook.format()
                            + "' is not standard-webhooks, cloudevents-binary or cloudevents-structured");
        }
        if (webhook.headers() != null) {
            if (webhook.headers().size() > MAX_HEADERS) {
                violations.add("/webhook/headers", "at most " + MAX_HEADERS + " headers");
            }
            webhook.headers().forEach((name, value) -> {
                String pointer = "/webhook/headers/" + io.herald.platform.problem.FieldError.token(name);
                if (!HEADER_NAME.matcher(name).matches()) {
                    violations.add(pointer, "is not a valid HTTP header name");
                } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    violations.add(pointer, "is set by Herald itself and cannot be overridden");
                }
                if (value == null || value.length() > 1000 || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                    violations.add(pointer, "must be a single-line value of at most 1000 characters");
                }
            });
        }
    }

    /** A URL saved before credentials in URLs were refused is shown without them. */
    private static String withoutCredentials(String url) {
        try {
            URI uri = new URI(url);
            return uri.getRawUserInfo() == null
                    ? url
                    : new URI(
                                    uri.getScheme(),
                                    null,
                                    uri.getHost(),
                                    uri.getPort(),
                                    uri.getRawPath(),
                                    uri.getRawQuery(),
                                    null)
                            .toString();
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }

    private static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "is required: the receiver's http(s) URL";
        }
        try {
            URI uri = new URI(url);
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
                return "must be an http or https URL";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "must name a host";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not carry credentials (user:password@): a URL is shown wherever the subscription is; the "
                        + "signature authenticates Herald to the receiver, and custom headers carry anything else";
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return "port must be between 1 and 65535";
            }
            if (url.length() > 2048) {
                return "must be at most 2048 characters";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
    }

    private static void applyLimits(Subscription subscription, WebhookIn webhook) {
        if (webhook.retrySchedule() != null && !webhook.retrySchedule().isEmpty()) {
            subscription.retrySchedule = String.join(",", webhook.retrySchedule());
        }
        if (webhook.maxInFlight() != null) {
            subscription.maxInFlight = webhook.maxInFlight();
        }
        if (webhook.maxPerSecond() != null) {
            subscription.maxPerSecond = webhook.maxPerSecond();
        }
    }

    private static Subscription.Format format(String format) {
        return switch (format) {
            case "standard-webhooks" -> Subscription.Format.STANDARD_WEBHOOKS;
            case "cloudevents-binary" -> Subscription.Format.CLOUDEVENTS_BINARY;
            case "cloudevents-structured" -> Subscription.Format.CLOUDEVENTS_STRUCTURED;
            default -> null;
        };
    }

    private static Duration timeout(String timeout) {
        return timeout == null ? DEFAULT_TIMEOUT : Duration.parse(timeout);
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
                    withoutCredentials(subscription.webhookUrl),
                    headers,
                    Duration.ofMillis(subscription.webhookTimeoutMs).toString(),
                    subscription.webhookFormat.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    subscription.retrySchedule == null ? null : List.of(subscription.retrySchedule.split(",")),
                    subscription.maxInFlight,
                    subscription.maxPerSecond,
                    withSecret ? subscription.webhookSecret : null);
        } else {
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
                subscription.createdAt,
                subscription.updatedAt);
    }

    private static <T> T await(Future<T> future, String what) {
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while waiting for the subscription's lanes to close", e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
