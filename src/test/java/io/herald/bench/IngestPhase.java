package io.herald.bench;

import io.herald.testing.OrderFixtures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ingest beside the HTTP ceiling (the same request to a no-op endpoint of the same server): the highest sustained rate
 * of 1 KB schema-validated events into a topic with one queue subscription, and the latency at half that rate. With
 * {@code phases=steady}, a fixed rate for comparing builds by Herald's CPU per event.
 */
final class IngestPhase {
    private final Bench bench;

    IngestPhase(Bench bench) {
        this.bench = bench;
    }

    /** The figures; the rows compare them with the broker ceilings, measured after this phase. */
    record Figures(
            OpenLoopLoad.Result httpCeiling,
            Bench.Warmed warmUp,
            OpenLoopLoad.Result highest,
            int half,
            OpenLoopLoad.Result atHalf,
            String cpuPerEvent,
            OpenLoopLoad.Result noopAtHalf) {

        String[] httpCeilingRow() {
            return Bench.row(
                    "HTTP ceiling: no-op POST of the same 1 KB on the same Quarkus stack, highest sustained",
                    Bench.rate(httpCeiling),
                    "",
                    "");
        }

        List<String[]> ingestRows(double brokerRate, double managementRate) {
            List<String[]> rows = new ArrayList<>();
            rows.add(Bench.row(
                    "Ingest warm-up: 1,500 events/s to the queue subscription in 10 s rounds until the JIT compilers use"
                            + " under 5 % of a core (at most 6)",
                    warmUp.toString(), "", ""));
            rows.add(Bench.row(
                    "Ingest: highest sustained rate, 1 KB schema-validated events answered 202, 1 queue subscription",
                    Bench.rate(highest),
                    Bench.ratio(highest.okPerSecond(), httpCeiling.okPerSecond()) + " of HTTP ceiling; "
                            + Bench.ratio(highest.okPerSecond(), brokerRate) + " of broker ceiling"
                            + (managementRate > 0
                                    ? "; " + Bench.ratio(highest.okPerSecond(), managementRate)
                                            + " of RabbitMQ HTTP publish"
                                    : ""),
                    highest.okPerSecond() >= 10_000 ? "met (>= 10,000/s)" : "missed (>= 10,000/s)"));
            rows.add(Bench.row(
                    "Ingest latency at half that rate (" + half + "/s), 202 received",
                    String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms; %s", atHalf.p(50), atHalf.p(99), cpuPerEvent),
                    String.format(
                            Locale.ROOT,
                            "no-op at the same rate: p50 %.1f ms, p99 %.1f ms",
                            noopAtHalf.p(50),
                            noopAtHalf.p(99)),
                    ""));
            return rows;
        }
    }

    /** Null when the ingest phase does not run. */
    Figures run(Buffer eventBody) throws Exception {
        String topic = bench.topic("bench.orders");
        bench.api("POST", "/api/v1/topics/" + topic + "/schemas", "{\"schema\": " + OrderFixtures.SCHEMA + "}");
        String queueSubscription = bench.queueSubscription(topic);
        String path = "/api/v1/topics/" + topic + "/events";
        MultiMap authed = bench.authedJson();
        MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        if (bench.named("steady")) {
            steady(path, authed, eventBody);
        }
        Figures figures = null;
        if (bench.phase("ingest")) {
            OpenLoopLoad.Result httpCeiling = bench.highestSustained("/bench/noop", json, eventBody, 2000);
            // Ingest into a queue nobody reads takes paths the webhook warm-up never reaches (the broker pages the
            // queue to disk; batches are larger): right after that warm-up, C2 still took 32 % of Herald's CPU at
            // 1,500/s, and a fully warmed Herald used a fifth less CPU per event. Warm this path the same way.
            Bench.Warmed warmUp = bench.warmPath(
                    "ingest warm-up",
                    6,
                    Duration.ofHours(1),
                    () -> bench.load.run(path, authed, t -> eventBody, 1500, Duration.ofSeconds(10), 202));
            OpenLoopLoad.Result highest = bench.highestSustained(path, authed, eventBody, 1000);
            int half = Math.max(100, highest.offeredPerSecond() / 2);
            Bench.CpuUse cpu = bench.cpuFromNow();
            OpenLoopLoad.Result atHalf =
                    bench.load.run(path, authed, t -> eventBody, half, Duration.ofSeconds(15), 202);
            String cpuPerEvent = cpu.perEvent(atHalf.ok());
            OpenLoopLoad.Result noopAtHalf =
                    bench.load.run("/bench/noop", json, t -> eventBody, half, Duration.ofSeconds(10), 202);
            figures = new Figures(httpCeiling, warmUp, highest, half, atHalf, cpuPerEvent, noopAtHalf);
        }
        bench.deleteSubscription(queueSubscription); // drop the relay backlog
        if (figures != null) {
            Thread.sleep(10_000); // let the database and the broker finish the dropped backlog before the next phase
        }
        return figures;
    }

    /** A fixed rate: Herald's CPU per event, which a noisy (stolen) CPU changes less than it changes throughput. */
    private void steady(String path, MultiMap authed, Buffer eventBody) throws InterruptedException {
        int rate = bench.intArg("steadyRate", 800);
        int seconds = bench.intArg("steadySeconds", 20);
        Bench.CpuUse cpu = bench.cpuFromNow();
        OpenLoopLoad.Result steady =
                bench.load.run(path, authed, t -> eventBody, rate, Duration.ofSeconds(seconds), 202);
        Bench.log(String.format(
                Locale.ROOT,
                "steady ingest at %,d/s: p50 %.1f ms, p99 %.1f ms, Herald CPU %.3f ms per event",
                rate,
                steady.p(50),
                steady.p(99),
                cpu.heraldMsPer(steady.ok())));
    }
}
