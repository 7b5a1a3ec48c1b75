package io.herald.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.platform.Hashing;
import io.herald.platform.SsrfGuard;
import io.herald.routing.WebhookCredentials;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OAuth2 client-credentials tokens for webhook endpoints (RFC 6749 section 4.4): fetched from the subscription's token
 * URL (under the same SSRF policy as webhook URLs) with the client authenticated by HTTP Basic (section 2.3.1),
 * shared by every attempt of the same client until a minute before expiry, fetched once however many attempts ask at
 * the same time, and dropped when the endpoint answers 401 to it.
 */
@Singleton
class OAuth2Tokens {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EARLY = Duration.ofSeconds(60);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final int CACHED = 10_000;

    private final HttpClient http;
    private final SsrfGuard guard;
    private final ObjectMapper json;
    private final Map<String, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();

    OAuth2Tokens(Vertx vertx, SsrfGuard guard, ObjectMapper json) {
        this.guard = guard;
        this.json = json;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) TIMEOUT.toMillis())
                .setVerifyHost(true)
                .setMaxRedirects(0));
    }

    void stop(@Observes ShutdownEvent event) {
        http.close();
    }

    record Token(String value, Instant refreshAfter) {}

    /** Thrown (through the future) when no token could be had: the attempt fails and is retried on schedule. */
    static class TokenRefused extends RuntimeException {
        TokenRefused(String message) {
            super(message);
        }
    }

    CompletableFuture<String> token(WebhookCredentials.Resolved client) {
        String key = key(client);
        CompletableFuture<Token> known = tokens.get(key);
        if (known != null && usable(known)) {
            return known.thenApply(Token::value);
        }
        if (tokens.size() >= CACHED) {
            tokens.values().removeIf(f -> f.isDone() && !usable(f));
        }
        CompletableFuture<Token> fetching = new CompletableFuture<>();
        CompletableFuture<Token> winner =
                tokens.compute(key, (k, current) -> current != null && usable(current) ? current : fetching);
        if (winner == fetching) {
            fetch(client).whenComplete((token, error) -> {
                if (error != null) {
                    tokens.remove(key, fetching);
                    fetching.completeExceptionally(error);
                } else {
                    fetching.complete(token);
                }
            });
        }
        return winner.thenApply(Token::value);
    }

    /** The endpoint refused this token: the next attempt fetches another. */
    void refused(WebhookCredentials.Resolved client, String token) {
        tokens.computeIfPresent(
                key(client),
                (k, current) -> current.isDone()
                                && !current.isCompletedExceptionally()
                                && current.join().value().equals(token)
                        ? null
                        : current);
    }

    private static boolean usable(CompletableFuture<Token> token) {
        return !token.isDone()
                || (!token.isCompletedExceptionally()
                        && Instant.now().isBefore(token.join().refreshAfter()));
    }

    private CompletableFuture<Token> fetch(WebhookCredentials.Resolved client) {
        String blocked = guard.problem(client.tokenUrl());
        if (blocked != null) {
            return CompletableFuture.failedFuture(new TokenRefused("token URL " + blocked));
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (client.scope() != null) {
            form.append("&scope=").append(URLEncoder.encode(client.scope(), StandardCharsets.UTF_8));
        }
        if (client.audience() != null) {
            form.append("&audience=").append(URLEncoder.encode(client.audience(), StandardCharsets.UTF_8));
        }
        String basic = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(client.tokenUrl())
                .setFollowRedirects(false)
                .setTimeout(TIMEOUT.toMillis())
                .setHeaders(MultiMap.caseInsensitiveMultiMap()
                        .add("Content-Type", "application/x-www-form-urlencoded")
                        .add("Accept", "application/json")
                        .add("User-Agent", WebhookClient.USER_AGENT)
                        .add(
                                "Authorization",
                                "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8))));
        Instant asked = Instant.now();
        CompletableFuture<Token> result = new CompletableFuture<>();
        http.request(options)
                .compose(request -> request.send(Buffer.buffer(form.toString())))
                .compose(response -> response.body().map(body -> Map.entry(response.statusCode(), body)))
                .onComplete(done -> {
                    if (done.failed()) {
                        result.completeExceptionally(new TokenRefused("no token from " + client.tokenUrl() + ": "
                                + done.cause().getMessage()));
                        return;
                    }
                    try {
                        result.complete(
                                token(done.result().getKey(), done.result().getValue(), asked, client));
                    } catch (TokenRefused e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }

    private Token token(int status, Buffer body, Instant asked, WebhookCredentials.Resolved client) {
        String text = body.length() > 1000 ? body.getString(0, 1000) : body.toString(StandardCharsets.UTF_8);
        if (status != 200) {
            throw new TokenRefused(
                    "the token endpoint " + client.tokenUrl() + " answered HTTP " + status + ": " + text);
        }
        JsonNode answer;
        try {
            answer = json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new TokenRefused("the token endpoint's answer is not JSON: " + text);
        }
        String value = answer.path("access_token").asText(null);
        if (value == null || value.isBlank()) {
            throw new TokenRefused("the token endpoint's answer has no access_token");
        }
        String type = answer.path("token_type").asText("bearer");
        if (!type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new TokenRefused("the token endpoint issued a '" + type + "' token, not a bearer token");
        }
        Duration lifetime = answer.path("expires_in").canConvertToLong()
                ? Duration.ofSeconds(answer.path("expires_in").asLong())
                : DEFAULT_LIFETIME;
        Duration early = lifetime.compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY : lifetime.dividedBy(2);
        return new Token(value, asked.plus(lifetime).minus(early));
    }

    private static String key(WebhookCredentials.Resolved client) {
        return Hashing.sha256Hex(String.join(
                "\n",
                client.tokenUrl(),
                client.clientId(),
                client.clientSecret(),
                String.valueOf(client.scope()),
                String.valueOf(client.audience())));
    }
}
