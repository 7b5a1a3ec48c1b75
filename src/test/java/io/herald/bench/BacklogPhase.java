package io.herald.bench;

import io.herald.testing.StageHistograms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Queue subscriptions whose consumers have gone away, each with a backlog far beyond the broker's memory for it: what
 * stays on Herald's heap once every delivery is in its queue. The backlogs are dropped afterwards. Not part of "all":
 * memory, not speed, so it needs no warm-up.
 */
final class BacklogPhase {
    private final Bench bench;

    BacklogPhase(Bench bench) {
        this.bench = bench;
    }

    String[] run(String event) throws Exception {
        int queues = bench.intArg("backlogQueues", 6);
        int events = bench.intArg("backlogEvents", 30000);
        String topic = bench.topic("bench.backlog");
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            subscriptions.add(bench.queueSubscription(topic));
        }
        String batch = "[" + String.join(",", Collections.nCopies(100, event)) + "]";
        double queuedBefore = queued();
        long started = System.nanoTime();
        String outcome;
        try {
            for (int i = 0; i < events / 100; i++) {
                bench.api("POST", "/api/v1/topics/" + topic + "/events", batch);
            }
            long expected = (long) queues * (events / 100) * 100;
            double queued = 0;
            while (queued < expected && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(10)) {
                Thread.sleep(1000);
                queued = queued() - queuedBefore;
            }
            outcome = String.format(
                    Locale.ROOT,
                    "%d queues x %,d events: %,.0f of %,d deliveries queued in %.0f s; heap in use after a full GC %s",
                    queues,
                    events,
                    queued,
                    expected,
                    (System.nanoTime() - started) / 1e9,
                    ProcessFigures.heapAfterFullGc(bench.pid));
        } catch (Exception e) {
            // What an operator would see: the gateway stopped answering, typically with an OutOfMemoryError in its log.
            // Nothing more can be measured of it, so the other phases do not run.
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "Herald failed under the backlog: %d queues x %,d events, after %.0f s",
                            queues,
                            events,
                            (System.nanoTime() - started) / 1e9),
                    e);
        }
        Bench.log("backlog: " + outcome);
        for (String subscription : subscriptions) {
            bench.deleteSubscription(subscription);
        }
        return Bench.row(
                "Backlog: queue subscriptions nobody reads, each given the same 1 KB events (batches of 100)",
                outcome,
                "",
                "");
    }

    private double queued() throws Exception {
        return StageHistograms.parse(bench.api("GET", "/q/metrics", null)).count("queued");
    }
}
