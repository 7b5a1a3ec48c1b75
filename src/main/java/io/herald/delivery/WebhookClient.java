package io.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.platform.SsrfGuard;
import io.herald.routing.Subscription;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/**
 * Makes one webhook request: the body and headers of the subscription's format (Standard Webhooks, CloudEvents binary
 * or structured), always signed the Standard Webhooks way ({@code webhook-id} = the event id on every attempt,
 * {@code webhook-timestamp}, {@code webhook-signature}), plus the subscription's headers, a {@code User-Agent} naming
 * Herald and a W3C {@code traceparent}. Never throws: every outcome is an {@link AttemptResult}.
 */
@Singleton
public class WebhookClient {
    static final String USER_AGENT = "Herald/0.1.0 (+webhooks)";
    static final int EXCERPT_BYTES = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final SsrfGuard guard;
    private final ObjectMapper json;

    WebhookClient(SsrfGuard guard, ObjectMapper json) {
        this.guard = guard;
        this.json = json;
    }

    public CompletableFuture<AttemptResult> send(Target target, EventSnapshot event) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String blocked = guard.problem(target.url());
        if (blocked != null) {
            return CompletableFuture.completedFuture(new AttemptResult(started, 0, null, AttemptResult.ErrorClass.BLOCKED,
                    "webhook URL " + blocked, null, null));
        }
        HttpRequest request;
        try {
            request = request(target, event, started.getEpochSecond());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new AttemptResult(started, 0, null, AttemptResult.ErrorClass.OTHER,
                    "could not build the request: " + e.getMessage(), null, null));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    long took = (System.nanoTime() - startNanos) / 1_000_000;
                    if (error != null) {
                        return failure(started, took, error instanceof CompletionException ? error.getCause() : error);
                    }
                    byte[] body = response.body();
                    String excerpt = body == null || body.length == 0 ? null
                            : new String(body, 0, Math.min(body.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
                    int status = response.statusCode();
                    boolean ok = status >= 200 && status < 300;
                    return new AttemptResult(started, took, status, ok ? null : AttemptResult.ErrorClass.HTTP_STATUS,
                            ok ? null : "HTTP " + status, excerpt, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
                });
    }

    private HttpRequest request(Target target, EventSnapshot event, long timestamp) {
        byte[] body;
        String contentType;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.url())).timeout(target.timeout());
        if (target.format() == Subscription.Format.CLOUDEVENTS_STRUCTURED) {
            body = structured(event);
            contentType = "application/cloudevents+json; charset=utf-8";
        } else {
            body = event.data().getBytes(StandardCharsets.UTF_8);
            contentType = event.dataContentType();
            if (target.format() == Subscription.Format.CLOUDEVENTS_BINARY) {
                binaryHeaders(builder, event);
            }
        }
        target.headers().forEach(builder::header);
        builder.header("Content-Type", contentType)
                .header("User-Agent", USER_AGENT)
                .header("traceparent", traceparent(event))
                .header("webhook-id", event.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatures(target.secrets(), event.eventId(), timestamp, body));
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static void binaryHeaders(HttpRequest.Builder builder, EventSnapshot event) {
        builder.header("ce-specversion", "1.0").header("ce-id", event.ceId()).header("ce-source", event.source())
                .header("ce-type", event.type());
        if (event.subject() != null) {
            builder.header("ce-subject", event.subject());
        }
        if (event.time() != null) {
            builder.header("ce-time", event.time());
        }
        if (event.extensions() != null) {
            event.extensions().fields().forEachRemaining(e -> {
                if (!e.getKey().equals("traceparent") && !e.getKey().equals("tracestate")) {
                    builder.header("ce-" + e.getKey(), e.getValue().asText());
                }
            });
        }
    }

    private byte[] structured(EventSnapshot event) {
        try {
            ObjectNode envelope = json.createObjectNode()
                    .put("specversion", "1.0").put("id", event.ceId()).put("source", event.source()).put("type", event.type());
            if (event.subject() != null) {
                envelope.put("subject", event.subject());
            }
            if (event.time() != null) {
                envelope.put("time", event.time());
            }
            envelope.put("datacontenttype", event.dataContentType());
            if (event.extensions() != null) {
                envelope.setAll(event.extensions());
            }
            envelope.set("data", json.readTree(event.data()));
            return json.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new IllegalStateException("Stored data is not JSON", e);
        }
    }

    /** The producer's trace when it sent one (CloudEvents distributed tracing extension), a new one otherwise. */
    private static String traceparent(EventSnapshot event) {
        if (event.extensions() != null && event.extensions().path("traceparent").isTextual()
                && event.extensions().get("traceparent").asText().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return event.extensions().get("traceparent").asText();
        }
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    private static AttemptResult failure(Instant started, long took, Throwable error) {
        AttemptResult.ErrorClass kind;
        if (error instanceof HttpConnectTimeoutException || error instanceof HttpTimeoutException) {
            kind = AttemptResult.ErrorClass.TIMEOUT;
        } else if (error instanceof UnknownHostException) {
            kind = AttemptResult.ErrorClass.DNS;
        } else if (error instanceof SSLException) {
            kind = AttemptResult.ErrorClass.TLS;
        } else if (error instanceof ConnectException || error instanceof IOException) {
            kind = AttemptResult.ErrorClass.CONNECTION;
        } else {
            kind = AttemptResult.ErrorClass.OTHER;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new AttemptResult(started, took, null, kind, message.length() > 1000 ? message.substring(0, 1000) : message, null, null);
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

}
