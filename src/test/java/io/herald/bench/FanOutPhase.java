package io.herald.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Fan-out: one topic, 50 webhook subscriptions, 1,000 events published in batches of 100. */
final class FanOutPhase {
    private static final int SUBSCRIPTIONS = 50;
    private final Bench bench;

    FanOutPhase(Bench bench) {
        this.bench = bench;
    }

    String[] run() throws Exception {
        try (WebhookSink sink = new WebhookSink(bench.vertx)) {
            String topic = bench.topic("bench.fanout");
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                bench.webhookSubscription(topic, sink.url("/fan"), "");
            }
            Thread.sleep(2500);
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"n\": ").append(i).append('}');
            }
            String events100 = batch + "]";
            String path = "/api/v1/topics/" + topic + "/events";
            // Fifty subscriptions take code paths one subscription does not (profiled: the JIT took 44 % of Herald's
            // CPU during an unwarmed fan-out), so warm this path up the same way before measuring it.
            AtomicLong warmed = new AtomicLong();
            bench.warmPath("fan-out warm-up", 6, Duration.ofHours(1), () -> {
                for (int i = 0; i < 2; i++) {
                    bench.api("POST", path, events100);
                }
                return sink.awaitReceived(warmed.addAndGet(SUBSCRIPTIONS * 200L), 120_000);
            });
            long expected = warmed.get();
            int events = 1000; // 50,000 deliveries: long enough (10 s or more here) for a steady rate
            double compilerBefore = ProcessFigures.compilerSeconds(bench.pid);
            Bench.CpuUse cpu = bench.cpuFromNow();
            long started = System.nanoTime();
            for (int i = 0; i < events / 100; i++) {
                bench.api("POST", path, events100);
            }
            long got = sink.awaitReceived(expected + SUBSCRIPTIONS * (long) events, 300_000) - expected;
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = got / seconds;
            return Bench.row(
                    "Fan-out: one topic, 50 webhook subscriptions, 1,000 events",
                    String.format(
                            Locale.ROOT,
                            "%,.0f deliveries/s (%,d of %,d in %.1f s; JIT %.0f %% of a core meanwhile; %s per delivery)",
                            rate,
                            got,
                            SUBSCRIPTIONS * (long) events,
                            seconds,
                            bench.compilerShareSince(compilerBefore, started) * 100,
                            cpu.perEvent(got).replace(" per event", "")),
                    "",
                    rate >= 5000 ? "met (>= 5,000/s)" : "missed (>= 5,000/s)");
        }
    }
}
