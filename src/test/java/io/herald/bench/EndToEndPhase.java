package io.herald.bench;

import io.herald.testing.StageHistograms;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** End to end, publish -> webhook received, open loop at each rate of {@code e2eRates} (default 1,000 and 5,000/s). */
final class EndToEndPhase {
    private final Bench bench;

    EndToEndPhase(Bench bench) {
        this.bench = bench;
    }

    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        MultiMap authed = bench.authedJson();
        try (WebhookSink sink = new WebhookSink(bench.vertx)) {
            String topic = bench.topic("bench.e2e");
            String subscription = bench.webhookSubscription(topic, sink.url("/e2e"), ", \"maxInFlight\": 100");
            Thread.sleep(1500); // the lane attaches within a second
            String path = "/api/v1/topics/" + topic + "/events";
            // Steady state at the first measured rate (at most 1,000/s, which Herald sustains here) before measuring:
            // the first seconds after a rate step are a transient (the queues, pools and batches growing to the rate).
            String[] rates = bench.args.getOrDefault("e2eRates", "1000,5000").split(",");
            int warmRate = Math.min(1000, Integer.parseInt(rates[0]));
            int warmSeconds = bench.intArg("e2eWarmup", 10);
            bench.load.run(
                    path,
                    authed,
                    sentAt -> Buffer.buffer("{\"sentAt\": " + sentAt + "}"),
                    warmRate,
                    Duration.ofSeconds(warmSeconds),
                    202);
            String warmed = String.format(Locale.ROOT, "; the phase starts with %d s at %,d/s", warmSeconds, warmRate);
            for (String rate : rates) {
                rows.add(atRate(sink, path, authed, Integer.parseInt(rate), 15, warmed));
            }
            // What a rate Herald did not keep up with left behind would otherwise be retried against the closed sink
            // through the next phase (an external run's fan-out measured 8/s with 54,000 of them left).
            try {
                bench.deleteSubscription(subscription);
            } catch (IllegalStateException refused) {
                Bench.log("the end-to-end subscription stays (" + refused.getMessage()
                        + "): the fan-out shares the machine with its backlog");
            }
            bench.settle();
        }
        return rows;
    }

    private String[] atRate(WebhookSink sink, String path, MultiMap headers, int rate, int seconds, String warmed)
            throws Exception {
        // Events still arriving from before (the warm-up, the previous rate) are neither counted nor timed.
        String run = "e2e-" + rate + "-" + System.nanoTime();
        sink.measure(run);
        StageHistograms stagesBefore = StageHistograms.parse(bench.api("GET", "/q/metrics", null));
        Bench.CpuUse cpu = bench.cpuFromNow();
        OpenLoopLoad.Result published = bench.load.run(
                path,
                headers,
                sentAt -> Buffer.buffer("{\"sentAt\": " + sentAt + ", \"run\": \"" + run + "\"}"),
                rate,
                Duration.ofSeconds(seconds),
                202);
        long got = sink.awaitMeasured(published.ok(), 180_000);
        String cpuPerEvent = cpu.perEvent(got);
        Histogram latency = sink.measuredLatency();
        // Where the time went: each stage's lag since acceptance (Herald's histograms), and the publisher's wait for
        // its 202.
        String stages = StageHistograms.parse(bench.api("GET", "/q/metrics", null))
                .since(stagesBefore)
                .summary();
        Bench.log(String.format(
                Locale.ROOT, "end to end at %,d/s: %,d accepted, %,d delivered", rate, published.ok(), got));
        String figure = String.format(
                Locale.ROOT,
                "p50 %d ms, p99 %d ms, p99.9 %d ms (%,d of %,d delivered; %s)."
                        + " Since acceptance, p50 / p99: %s; the publisher's 202: %.0f / %.0f ms",
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9),
                got,
                published.ok(),
                cpuPerEvent,
                stages,
                published.p(50),
                published.p(99));
        String target = rate == 1000
                ? (latency.getValueAtPercentile(99) <= 50 ? "met (p99 <= 50 ms)" : "missed (p99 <= 50 ms)")
                : "";
        return Bench.row(
                "End to end at " + String.format(Locale.ROOT, "%,d", rate) + " events/s (202 -> webhook received, "
                        + seconds + " s, open loop" + warmed + ")",
                figure,
                "",
                target);
    }
}
