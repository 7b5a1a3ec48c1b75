package io.herald.bench;

import io.herald.testing.OrderFixtures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Locale;

/**
 * Publishes to a topic with one webhook subscription, in 10 s rounds, until the JIT compiler threads use under 5 % of a
 * core (or 120 s): on 2 cores compilation takes over half of Herald's CPU in its first two minutes, and figures measured
 * before it settles describe the compiler, not Herald.
 */
final class WarmUpPhase {
    private final Bench bench;

    WarmUpPhase(Bench bench) {
        this.bench = bench;
    }

    String[] run(Buffer eventBody) throws Exception {
        Bench.log(
                "warming up (JIT) on the no-op endpoint, then on ingest and webhook delivery until the JIT compilers go quiet ...");
        MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        bench.load.run("/bench/noop", json, t -> eventBody, 2000, Duration.ofSeconds(10), 202);
        String topic = bench.topic("bench.warmup");
        bench.api("POST", "/api/v1/topics/" + topic + "/schemas", "{\"schema\": " + OrderFixtures.SCHEMA + "}");
        try (WebhookSink sink = new WebhookSink(bench.vertx)) {
            String subscription = bench.webhookSubscription(topic, sink.url("/warm"), ", \"maxInFlight\": 100");
            Thread.sleep(1500); // the lane attaches within a second
            Bench.Warmed warmed = bench.warmPath(
                    "warm-up",
                    Integer.MAX_VALUE,
                    Duration.ofSeconds(120),
                    () -> bench.load.run(
                            "/api/v1/topics/" + topic + "/events",
                            bench.authedJson(),
                            t -> eventBody,
                            500,
                            Duration.ofSeconds(10),
                            202));
            bench.deleteSubscription(subscription);
            return Bench.row(
                    "Warm-up before measuring: ingest and webhook delivery at 500 events/s until Herald's JIT compiler"
                            + " threads use under 5 % of a core (at most 120 s)",
                    String.format(
                            Locale.ROOT,
                            "%.0f s (%.0f s of JIT compilation in it; last 10 s: %.0f %% of a core)",
                            warmed.seconds(),
                            warmed.jitSeconds(),
                            warmed.lastShare() * 100),
                    "",
                    "");
        }
    }
}
