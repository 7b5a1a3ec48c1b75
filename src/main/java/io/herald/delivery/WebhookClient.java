package io.herald.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.SecretBox;
import io.herald.platform.SsrfGuard;
import io.herald.routing.Subscription;
import io.herald.routing.WebhookCredentials;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Makes one webhook request ({@link WebhookRequests} builds it: the subscription's format, always signed the Standard
 * Webhooks way), with the endpoint's authentication (Basic, bearer, an OAuth2 token from {@link OAuth2Tokens}) and, for
 * mutual TLS or an endpoint's own CA, a client of {@link TlsClients}. Never throws: every outcome is an
 * {@link AttemptResult}.
 *
 * <p>Requests go through Vert.x's HTTP client on the event loops (kept-alive connections per endpoint, no thread per
 * request). Redirects are not followed. Only the first {@value #EXCERPT_BYTES} bytes of an answer are kept; the rest is
 * read and dropped, so a receiver answering with megabytes costs no memory.
 */
@Singleton
public class WebhookClient implements Destination<WebhookEndpoint> {
    static final String USER_AGENT = "Herald/0.1.0 (+webhooks)";
    static final int EXCERPT_BYTES = 4096;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpClient http;
    private final SsrfGuard guard;
    private final ObjectMapper json;
    private final WebhookCredentials credentials;
    private final OAuth2Tokens tokens;
    private final TlsClients tlsClients;
    private final WebhookRequests requests;

    WebhookClient(
            Vertx vertx,
            SsrfGuard guard,
            ObjectMapper json,
            WebhookCredentials credentials,
            OAuth2Tokens tokens,
            TlsClients tlsClients) {
        this.vertx = vertx;
        this.guard = guard;
        this.json = json;
        this.credentials = credentials;
        this.tokens = tokens;
        this.tlsClients = tlsClients;
        this.requests = new WebhookRequests(json);
        // Connections per endpoint: lanes already cap requests per subscription (max-in-flight), this only bounds
        // what many subscriptions of one host may open together.
        this.http = vertx.createHttpClient(
                clientOptions(), new PoolOptions().setHttp1MaxSize(200).setMaxWaitQueueSize(-1));
    }

    /** Every webhook client's options: no redirects, host names verified, connections kept alive. */
    static HttpClientOptions clientOptions() {
        return new HttpClientOptions()
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setVerifyHost(true)
                .setMaxRedirects(0);
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.WEBHOOK;
    }

    /** The endpoint with the secrets that sign now: the current one, and the previous one until its grace ends. */
    @Override
    public WebhookEndpoint endpoint(Subscription subscription) {
        List<String> secrets = new ArrayList<>();
        secrets.add(subscription.webhookSecret);
        if (subscription.webhookPreviousSecret != null
                && subscription.webhookPreviousSecretExpires != null
                && subscription.webhookPreviousSecretExpires.isAfter(Instant.now())) {
            secrets.add(subscription.webhookPreviousSecret);
        }
        Map<String, String> headers;
        try {
            headers = subscription.webhookHeaders == null
                    ? Map.of()
                    : json.readValue(subscription.webhookHeaders, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored headers are not JSON", e);
        }
        WebhookCredentials.Resolved resolved = WebhookCredentials.Resolved.NONE;
        String unusable = null;
        try {
            resolved = credentials.resolve(subscription);
        } catch (SecretBox.UnreadableSecret e) {
            unusable = e.getMessage();
        }
        return new WebhookEndpoint(
                subscription.webhookUrl,
                headers,
                Duration.ofMillis(subscription.webhookTimeoutMs),
                List.copyOf(secrets),
                subscription.webhookFormat,
                resolved,
                unusable);
    }

    /** 2xx delivers; 410 Gone is permanent and disables the subscription; anything else is retried. */
    @Override
    public CompletableFuture<Outcome> attempt(WebhookEndpoint endpoint, EventSnapshot event) {
        return send(endpoint, event).thenApply(WebhookClient::outcome);
    }

    static Outcome outcome(AttemptResult result) {
        if (result.succeeded()) {
            return new Outcome.Delivered(result);
        }
        if (result.status() != null && result.status() == 410) {
            return new Outcome.Permanent(result, "the receiver answered 410 Gone");
        }
        return new Outcome.Retry(result, result.retryAfter());
    }

    public CompletableFuture<AttemptResult> send(WebhookEndpoint target, EventSnapshot event) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        String blocked = guard.problem(target.url());
        if (blocked != null) {
            return CompletableFuture.completedFuture(new AttemptResult(
                    started, 0, null, AttemptResult.ErrorClass.BLOCKED, "webhook URL " + blocked, null, null));
        }
        RequestOptions options;
        byte[] body;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(target.url())
                    .setFollowRedirects(false)
                    .setConnectTimeout(Math.min(
                            CONNECT_TIMEOUT.toMillis(), target.timeout().toMillis()));
            body = requests.request(target, event, started.getEpochSecond(), options);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new AttemptResult(
                    started,
                    0,
                    null,
                    AttemptResult.ErrorClass.OTHER,
                    "could not build the request: " + e.getMessage(),
                    null,
                    null));
        }
        if (target.unusable() != null) {
            return CompletableFuture.completedFuture(
                    AttemptResult.failed(started, 0, AttemptResult.ErrorClass.AUTHENTICATION, target.unusable()));
        }
        HttpClient client = target.credentials().hasTls() ? tlsClients.client(target.credentials()) : http;
        return authorized(client, options, body, target, started, startNanos, true);
    }

    /**
     * The request with the endpoint's Authorization, if it has one. An OAuth2 token the endpoint answers 401 to (revoked,
     * or expired early) is dropped and the request made once more with a new one, within the same attempt.
     */
    private CompletableFuture<AttemptResult> authorized(
            HttpClient client,
            RequestOptions options,
            byte[] body,
            WebhookEndpoint target,
            Instant started,
            long startNanos,
            boolean mayRenew) {
        WebhookCredentials.Resolved auth = target.credentials();
        if (auth.type() == null) {
            return exchanged(client, options, body, target, started, startNanos);
        }
        switch (auth.type()) {
            case "basic" -> {
                String pair = auth.username() + ":" + auth.password();
                options.getHeaders()
                        .set(
                                "Authorization",
                                "Basic "
                                        + java.util.Base64.getEncoder()
                                                .encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
                return exchanged(client, options, body, target, started, startNanos);
            }
            case "bearer" -> {
                options.getHeaders().set("Authorization", "Bearer " + auth.token());
                return exchanged(client, options, body, target, started, startNanos);
            }
            default -> {
                return tokens.token(auth)
                        .thenCompose(token -> {
                            options.getHeaders().set("Authorization", "Bearer " + token);
                            return exchanged(client, options, body, target, started, startNanos)
                                    .thenCompose(result -> {
                                        if (!mayRenew || result.status() == null || result.status() != 401) {
                                            return CompletableFuture.completedFuture(result);
                                        }
                                        tokens.refused(auth, token);
                                        return authorized(client, options, body, target, started, startNanos, false);
                                    });
                        })
                        .exceptionally(error -> AttemptResult.failed(
                                started,
                                AttemptResult.millisSince(startNanos),
                                AttemptResult.ErrorClass.AUTHENTICATION,
                                "OAuth2: " + rootMessage(error)));
            }
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while ((root instanceof java.util.concurrent.CompletionException
                        || root instanceof java.util.concurrent.ExecutionException)
                && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private CompletableFuture<AttemptResult> exchanged(
            HttpClient client,
            RequestOptions options,
            byte[] body,
            WebhookEndpoint target,
            Instant started,
            long startNanos) {
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        client.request(options)
                .compose(request -> exchange(request, body, target.timeout()))
                .onComplete(done -> {
                    long took = (System.nanoTime() - startNanos) / 1_000_000;
                    result.complete(
                            done.succeeded()
                                    ? answered(started, took, done.result())
                                    : failure(started, took, done.cause()));
                });
        return result;
    }

    /** What came back: the status, the Retry-After header and the first bytes of the body. */
    private record Answer(int status, String retryAfter, Buffer excerpt) {}

    /** Sends the body and reads the answer, failing with a {@link TimeoutException} when it is not complete in time. */
    private Future<Answer> exchange(HttpClientRequest request, byte[] body, Duration timeout) {
        Promise<Answer> answer = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (answer.tryFail(new TimeoutException("no complete answer within " + timeout.toMillis() + " ms"))) {
                request.reset(0);
            }
        });
        request.response().onComplete(response -> {
            if (response.failed()) {
                answer.tryFail(response.cause());
                return;
            }
            HttpClientResponse received = response.result();
            Buffer excerpt = Buffer.buffer();
            received.handler(chunk -> {
                int room = EXCERPT_BYTES - excerpt.length();
                if (room > 0) {
                    excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                }
            });
            received.exceptionHandler(answer::tryFail);
            received.endHandler(ended ->
                    answer.tryComplete(new Answer(received.statusCode(), received.getHeader("Retry-After"), excerpt)));
        });
        request.end(Buffer.buffer(body)).onFailure(answer::tryFail);
        return answer.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    private static AttemptResult answered(Instant started, long took, Answer answer) {
        String excerpt =
                answer.excerpt().length() == 0 ? null : answer.excerpt().toString(StandardCharsets.UTF_8);
        boolean ok = answer.status() >= 200 && answer.status() < 300;
        return new AttemptResult(
                started,
                took,
                answer.status(),
                ok ? null : AttemptResult.ErrorClass.HTTP_STATUS,
                ok ? null : "HTTP " + answer.status(),
                excerpt,
                retryAfter(answer.retryAfter()));
    }

    private static AttemptResult failure(Instant started, long took, Throwable error) {
        // Netty wraps what went wrong (a refused TLS handshake arrives inside a DecoderException): classify the cause.
        for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                error = cause;
                break;
            }
        }
        AttemptResult.ErrorClass kind;
        if (error instanceof TimeoutException || error instanceof io.netty.channel.ConnectTimeoutException) {
            kind = AttemptResult.ErrorClass.TIMEOUT;
        } else if (error instanceof UnknownHostException) {
            kind = AttemptResult.ErrorClass.DNS;
        } else if (error instanceof SSLException) {
            kind = AttemptResult.ErrorClass.TLS;
        } else if (error instanceof ConnectException
                || error instanceof IOException
                || error instanceof io.vertx.core.VertxException) {
            kind = AttemptResult.ErrorClass.CONNECTION;
        } else {
            kind = AttemptResult.ErrorClass.OTHER;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new AttemptResult(
                started, took, null, kind, message.length() > 1000 ? message.substring(0, 1000) : message, null, null);
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
                Duration until = Duration.between(
                        Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
