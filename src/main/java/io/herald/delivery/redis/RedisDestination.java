package io.herald.delivery.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.delivery.AttemptResult;
import io.herald.delivery.CloudEventsAttributes;
import io.herald.delivery.Destination;
import io.herald.delivery.EventSnapshot;
import io.herald.delivery.Outcome;
import io.herald.routing.DestinationConfig;
import io.herald.routing.DestinationTemplate;
import io.herald.routing.Subscription;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Appends to a Redis stream with {@code XADD}: one field per CloudEvents attribute (extensions included) and
 * {@code data}, with {@code MAXLEN ~} when the subscription caps the stream. Vert.x's Redis client runs on Herald's
 * event loops with a small pool per connection. Delivered once Redis answers with the entry's id, which is the answer
 * recorded. Redis keeps no de-duplication: an append whose answer was lost is appended again by the retry.
 */
@Singleton
public class RedisDestination implements Destination<RedisEndpoint> {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Replies no retry can change: the key holds another type. Others (OOM, LOADING, NOAUTH, a full server) may pass. */
    private static final Set<String> PERMANENT = Set.of("WRONGTYPE");

    private final Vertx vertx;
    private final DestinationConfig config;
    private final ObjectMapper json;
    private final Map<String, Redis> clients = new ConcurrentHashMap<>();

    RedisDestination(Vertx vertx, DestinationConfig config, ObjectMapper json) {
        this.vertx = vertx;
        this.config = config;
        this.json = json;
    }

    @Override
    public Subscription.Kind kind() {
        return Subscription.Kind.REDIS;
    }

    @Override
    public RedisEndpoint endpoint(Subscription subscription) {
        JsonNode settings = Destination.settings(subscription, json);
        return new RedisEndpoint(
                settings.path("connection").asText(),
                settings.path("stream").asText(),
                settings.hasNonNull("maxLen") ? settings.get("maxLen").asLong() : null);
    }

    @Override
    public CompletableFuture<Outcome> attempt(RedisEndpoint endpoint, EventSnapshot event) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Redis client = client(endpoint.connection());
        if (client == null) {
            return CompletableFuture.completedFuture(new Outcome.Retry(
                    AttemptResult.failed(
                            started,
                            0,
                            AttemptResult.ErrorClass.OTHER,
                            "no Redis connection named '" + endpoint.connection() + "' is configured"),
                    null));
        }
        Request xadd = Request.cmd(Command.XADD)
                .arg(DestinationTemplate.render(endpoint.stream(), event.topic(), event.type()));
        if (endpoint.maxLen() != null) {
            xadd.arg("MAXLEN").arg("~").arg(endpoint.maxLen());
        }
        xadd.arg("*");
        CloudEventsAttributes.of(event).forEach((name, value) -> xadd.arg(name).arg(value));
        xadd.arg("data").arg(event.data() == null ? "" : event.data());
        return client.send(xadd)
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((answer, error) -> {
                    long took = (System.nanoTime() - startNanos) / 1_000_000;
                    if (error == null) {
                        return new Outcome.Delivered(
                                new AttemptResult(started, took, null, null, null, "entry " + answer, null));
                    }
                    return failed(
                            started,
                            took,
                            error.getCause() != null && !(error instanceof TimeoutException)
                                    ? error.getCause()
                                    : error);
                });
    }

    private Redis client(String name) {
        DestinationConfig.Connection configured = config.redis().get(name);
        if (configured == null) {
            return null;
        }
        return clients.computeIfAbsent(
                name,
                n -> Redis.createClient(
                        vertx,
                        new RedisOptions()
                                .setConnectionString(configured.url())
                                .setMaxPoolSize(8)
                                .setMaxPoolWaiting(10_000)));
    }

    private static Outcome failed(Instant started, long took, Throwable error) {
        if (error instanceof TimeoutException) {
            return new Outcome.Retry(
                    AttemptResult.failed(
                            started,
                            took,
                            AttemptResult.ErrorClass.TIMEOUT,
                            "no answer within " + COMMAND_TIMEOUT.toSeconds() + " s"),
                    null);
        }
        String message = String.valueOf(error.getMessage());
        String code = message.split(" ", 2)[0];
        if (PERMANENT.contains(code)) {
            return new Outcome.Permanent(
                    AttemptResult.failed(
                            started, took, AttemptResult.ErrorClass.OTHER, "Redis refused XADD: " + message),
                    null);
        }
        return new Outcome.Retry(
                AttemptResult.failed(
                        started,
                        took,
                        error instanceof ConnectException
                                ? AttemptResult.ErrorClass.CONNECTION
                                : AttemptResult.ErrorClass.OTHER,
                        message),
                null);
    }

    @PreDestroy
    void close() {
        clients.values().forEach(Redis::close);
    }
}
