package io.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ordered against unordered delivery of the same events to the same webhook subscription, back to back: 5,000 events
 * over 100 keys (50 each, interleaved), first with the subscription unordered, then ordered by the key in the data, then
 * ordered again with a 101st key whose every request the endpoint refuses (its head retries, its later events wait).
 */
final class OrderedPhase {
    private static final int KEYS = 100;
    private static final int PER_KEY = 50;
    private final Bench bench;

    OrderedPhase(Bench bench) {
        this.bench = bench;
    }

    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (WebhookSink sink = new WebhookSink(bench.vertx)) {
            String topic = bench.topic("bench.ordered");
            String subscription = bench.webhookSubscription(topic, sink.url("/ordered"), ", \"maxInFlight\": 20");
            Thread.sleep(2500);
            long received = 0;
            for (String round : List.of("unordered", "ordered", "stuck")) {
                boolean ordered = !round.equals("unordered");
                boolean stuck = round.equals("stuck");
                if (round.equals("ordered")) {
                    bench.api(
                            "PATCH",
                            "/api/v1/subscriptions/" + subscription,
                            "{\"ordered\": true, \"orderingKey\": \"/key\"}");
                    Thread.sleep(2500); // lanes re-read their subscription within a second
                }
                Bench.CpuUse cpu = bench.cpuFromNow();
                long started = System.nanoTime();
                if (stuck) {
                    sink.refuse("\"stuck\"");
                }
                publish(topic, stuck);
                long got = sink.awaitReceived(received + (long) KEYS * PER_KEY, 300_000) - received;
                received += got;
                double seconds = (System.nanoTime() - started) / 1e9;
                rows.add(Bench.row(
                        (ordered ? "Ordered" : "Unordered") + " delivery: one webhook subscription (20 in flight), "
                                + "5,000 events over 100 keys" + (ordered ? ", one at a time per key" : "")
                                + (stuck ? ", beside a 101st key whose 50 events the endpoint refuses" : ""),
                        String.format(
                                Locale.ROOT,
                                "%,.0f deliveries/s (%,d in %.1f s; %s per delivery)",
                                got / seconds,
                                got,
                                seconds,
                                cpu.perEvent(got).replace(" per event", "")),
                        "",
                        ""));
            }
            bench.deleteSubscription(subscription);
        }
        return rows;
    }

    private void publish(String topic, boolean withStuckKey) throws Exception {
        StringBuilder batch = new StringBuilder();
        int inBatch = 0;
        for (int n = 0; n < PER_KEY; n++) {
            for (int key = withStuckKey ? -1 : 0; key < KEYS; key++) {
                batch.append(inBatch == 0 ? "[" : ",")
                        .append("{\"key\": \"")
                        .append(key < 0 ? "stuck" : "k" + key)
                        .append("\", \"n\": ")
                        .append(n)
                        .append('}');
                if (++inBatch == 500) {
                    bench.api(
                            "POST",
                            "/api/v1/topics/" + topic + "/events",
                            batch.append(']').toString());
                    batch.setLength(0);
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0) {
            bench.api(
                    "POST",
                    "/api/v1/topics/" + topic + "/events",
                    batch.append(']').toString());
        }
    }
}
