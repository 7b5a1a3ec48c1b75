package io.herald.delivery.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.delivery.AttemptResult;
import io.herald.delivery.CloudEventsAttributes;
import io.herald.delivery.Destination;
import io.herald.delivery.EventSnapshot;
import io.herald.delivery.Outcome;
import io.herald.platform.Threads;
import io.herald.routing.DestinationConfig;
import io.herald.routing.DestinationTemplate;
import io.herald.routing.Subscription;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes to NATS JetStream with the official client: the event's data as the body, its CloudEvents attributes as
 * {@code ce-} headers (the NATS binding's binary mode), {@code Nats-Msg-Id} naming the event and the subscription, so that
 * a retry of a publish whose acknowledgement was lost is dropped by the stream's de-duplication. Delivered once the stream
 * acknowledges; the answer recorded is the stream and sequence.
 */
@Singleton
public class NatsDestination implements Destination<NatsEndpoint> {
    private static final Logger LOG = Logger.getLogger(NatsDestination.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    /** After a failed connect, attempts are retried without connecting again for this long. */
    private static final Duration CONNECT_BACKOFF = Duration.ofSeconds(2);

    private final DestinationConfig config;
    private final ObjectMapper json;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final ExecutorService connector = Executors.newCachedThreadPool(Threads.daemons("herald-nats-connect"));

    NatsDestination(DestinationConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /**
     * One connection per configured name, opened at its first attempt on a thread of its own (attempts wait for it
     * without holding a thread); the client reconnects by itself after that. A failed open is tried again by the first
     * attempt after a back-off.
     */
    private static final class Link {
        CompletableFuture<JetStream> ready;
        volatile Connection connection;
        volatile long retryConnectAt;
        final AtomicBoolean up = new AtomicBoolean(true);
    }

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.NATS;
    }

    @Override
    public NatsEndpoint endpoint(Subscription subscription) {
        JsonNode settings = Destination.settings(subscription, json);
        return new NatsEndpoint(
                subscription.id,
                settings.path("connection").asText(),
                settings.path("subject").asText());
    }

    @Override
    public CompletableFuture<Outcome> attempt(NatsEndpoint endpoint, EventSnapshot event) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String subject = DestinationTemplate.render(endpoint.subject(), event.topic(), event.type());
        if (!DestinationTemplate.isNatsSubject(subject)) {
            return CompletableFuture.completedFuture(new Outcome.Permanent(
                    AttemptResult.failed(
                            started, 0, AttemptResult.ErrorClass.OTHER, "'" + subject + "' is not a NATS subject"),
                    null));
        }
        Headers headers = new Headers();
        CloudEventsAttributes.of(event)
                .forEach((name, value) -> headers.add("ce-" + name, CloudEventsAttributes.percentEncoded(value)));
        if (event.dataContentType() != null) {
            headers.add("Content-Type", event.dataContentType());
        }
        headers.add("herald-event-id", event.eventId());
        NatsMessage message = NatsMessage.builder()
                .subject(subject)
                .headers(headers)
                .data(event.data() == null ? new byte[0] : event.data().getBytes(StandardCharsets.UTF_8))
                .build();
        PublishOptions options = PublishOptions.builder()
                .messageId(messageId(event.eventId(), endpoint.subscriptionId()))
                .build();
        CompletableFuture<PublishAck> ack =
                jetStream(endpoint.connection()).thenCompose(jetStream -> jetStream.publishAsync(message, options));
        return ack.orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).handle((answer, error) -> {
            if (error == null) {
                return delivered(started, AttemptResult.millisSince(startNanos), answer);
            }
            Throwable cause = unwrap(error);
            if (!(cause instanceof JetStreamApiException)) {
                renew(endpoint.connection());
            }
            return failed(started, AttemptResult.millisSince(startNanos), subject, cause);
        });
    }

    /**
     * A connection that let a publish go unanswered (or failed it) is not trusted to recover by itself: it is closed,
     * and the next attempt opens a new one (at most one open every {@link #CONNECT_BACKOFF}).
     */
    private void renew(String name) {
        Link link = links.get(name);
        if (link == null) {
            return;
        }
        synchronized (link) {
            if (link.ready == null || !link.ready.isDone()) {
                return;
            }
            Connection stale = link.connection;
            link.ready = null;
            link.connection = null;
            link.up.set(true);
            if (stale != null) {
                connector.execute(() -> {
                    try {
                        stale.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    /**
     * The de-duplication id: the event and the subscription, the same on every attempt. Not the event alone: two
     * subscriptions publishing one event into one stream (on different subjects) would lose the second as a duplicate.
     */
    static String messageId(String eventId, String subscriptionId) {
        return eventId + ":" + subscriptionId;
    }

    private CompletableFuture<JetStream> jetStream(String name) {
        Link link = links.computeIfAbsent(name, n -> new Link());
        synchronized (link) {
            boolean failed = link.ready != null
                    && (link.ready.isCompletedExceptionally()
                            || (link.connection != null && link.connection.getStatus() == Connection.Status.CLOSED));
            if (link.ready == null || (failed && System.nanoTime() >= link.retryConnectAt)) {
                link.ready = CompletableFuture.supplyAsync(() -> connect(name, link), connector);
            }
            return link.ready;
        }
    }

    private JetStream connect(String name, Link link) {
        DestinationConfig.Connection configured = config.nats().get(name);
        try {
            if (configured == null) {
                throw new IOException("no NATS connection named '" + name + "' is configured");
            }
            Options options = new Options.Builder()
                    .servers(configured.url().split(","))
                    .connectionName("herald")
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofSeconds(1))
                    .connectionListener((connection, event) -> {
                        // Once per outage: the client reports each failed reconnect as another disconnect.
                        if (event == ConnectionListener.Events.DISCONNECTED && link.up.compareAndSet(true, false)) {
                            LOG.warnf("NATS connection '%s' lost; reconnecting", name);
                        } else if (event == ConnectionListener.Events.RECONNECTED
                                && link.up.compareAndSet(false, true)) {
                            LOG.infof("NATS connection '%s' back", name);
                        }
                    })
                    .errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection connection, String error) {
                            LOG.debugf("NATS connection '%s': %s", name, error);
                        }

                        @Override
                        public void exceptionOccurred(Connection connection, Exception exception) {
                            LOG.debugf("NATS connection '%s': %s", name, exception);
                        }
                    })
                    .build();
            link.connection = Nats.connect(options);
            return link.connection.jetStream(
                    JetStreamOptions.builder().requestTimeout(PUBLISH_TIMEOUT).build());
        } catch (IOException e) {
            link.retryConnectAt = System.nanoTime() + CONNECT_BACKOFF.toNanos();
            throw new CompletionException(
                    new IOException("cannot connect to NATS connection '" + name + "': " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.retryConnectAt = System.nanoTime();
            throw new CompletionException(e);
        }
    }

    private static Outcome delivered(Instant started, long took, PublishAck ack) {
        String answer = "stream " + ack.getStream() + " sequence " + ack.getSeqno()
                + (ack.isDuplicate() ? " (duplicate: stored by an earlier attempt)" : "");
        return new Outcome.Delivered(AttemptResult.answered(started, took, answer));
    }

    /**
     * The stream refusing the message (too large, a wrong expectation) is permanent; no stream capturing the subject
     * (503 no responders), a timeout or a lost connection is retried.
     */
    private static Outcome failed(Instant started, long took, String subject, Throwable error) {
        if (error instanceof JetStreamApiException refused && refused.getErrorCode() != 503) {
            return new Outcome.Permanent(
                    AttemptResult.failed(
                            started,
                            took,
                            AttemptResult.ErrorClass.OTHER,
                            "JetStream refused the message: " + refused.getMessage()),
                    null);
        }
        if (error instanceof TimeoutException) {
            return new Outcome.Retry(
                    AttemptResult.failed(
                            started,
                            took,
                            AttemptResult.ErrorClass.TIMEOUT,
                            "no acknowledgement within " + PUBLISH_TIMEOUT.toSeconds() + " s"),
                    null);
        }
        String message = String.valueOf(error.getMessage());
        if (noStream(error)) {
            message = "no JetStream stream captures subject '" + subject + "' (" + message + ")";
        }
        LOG.debugf("NATS publish to %s failed: %s", subject, message);
        return new Outcome.Retry(
                AttemptResult.failed(started, took, AttemptResult.ErrorClass.CONNECTION, message), null);
    }

    /** NATS's 503: no stream captures the subject (the connection is fine). */
    private static boolean noStream(Throwable error) {
        String message = String.valueOf(error.getMessage());
        return message.contains("503")
                || message.toLowerCase(java.util.Locale.ROOT).contains("no responders");
    }

    /** The JetStream refusal somewhere in the chain (the client wraps it), else the first cause past the future's. */
    private static Throwable unwrap(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JetStreamApiException) {
                return cause;
            }
        }
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @PreDestroy
    void close() {
        connector.shutdownNow();
        links.values().forEach(link -> {
            if (link.connection != null) {
                try {
                    link.connection.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }
}
