package io.herald.bench;

import io.herald.testing.OrderFixtures;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Herald's figures beside the machine's own ceilings, in one run against one running Herald (bench/run.sh starts it):
 * the HTTP ceiling (a no-op POST on the same Quarkus stack), the broker ceiling (raw acked durable AMQP sends to the
 * same broker), RabbitMQ's management publish API where given; Herald's ingest (highest sustained rate of 1 KB
 * schema-validated events, latency at half that rate), end-to-end webhook latency at 1,000 and 5,000 events/s,
 * fan-out to 50 webhook subscriptions, and Herald's resident memory at rest and at peak, after a warm-up that lasts
 * until the JIT compilers are quiet. Prints one markdown table. One class per phase.
 *
 * <p>Arguments ({@code key=value}): base, pid, key, amqpHost, amqpPort, amqpUser, amqpPassword, amqpVhost,
 * rabbitManagement (http://user:password@host:15672), out, phases (all, or a list of the phases ingest, broker,
 * e2e, fanout and the extra ones steady, backlog, destinations, ordered), and each phase's own.
 */
public final class BenchmarkSuite {
    private final Bench bench;
    private final AtomicLong peakRss = new AtomicLong();

    private BenchmarkSuite(Bench bench) {
        this.bench = bench;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (Bench bench = new Bench(args)) {
            new BenchmarkSuite(bench).runAll();
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        long[] cpuAtStart = ProcessFigures.machineCpu();
        long rest = ProcessFigures.rss(bench.pid);
        Thread sampler = new Thread(() -> {
            while (true) {
                peakRss.accumulateAndGet(ProcessFigures.rss(bench.pid), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        String event = OrderFixtures.EVENT.replaceAll("\\s+", " ");
        Buffer eventBody = Buffer.buffer(event);

        List<String[]> rows = new ArrayList<>();
        String[] backlog = bench.named("backlog") ? new BacklogPhase(bench).run(event) : null;
        if (!bench.args.getOrDefault("phases", "all").equals("backlog")) {
            rows.add(new WarmUpPhase(bench).run(eventBody));
        }
        if (backlog != null) {
            rows.add(backlog);
        }
        IngestPhase.Figures ingest = new IngestPhase(bench).run(eventBody);
        BrokerCeilingPhase.Figures broker =
                bench.phase("broker") ? new BrokerCeilingPhase(bench).run(bench.topic("bench.broker"), event) : null;
        List<String[]> endToEnd = bench.phase("e2e") ? new EndToEndPhase(bench).run() : List.of();
        String[] fanOut = bench.phase("fanout") ? new FanOutPhase(bench).run() : null;
        List<String[]> destinations = bench.named("destinations") ? new DestinationsPhase(bench).run() : List.of();
        List<String[]> ordered = bench.named("ordered") ? new OrderedPhase(bench).run() : List.of();
        sampler.interrupt();

        if (ingest != null) {
            rows.add(ingest.httpCeilingRow());
        }
        if (broker != null) {
            rows.addAll(broker.rows());
        }
        if (ingest != null) {
            rows.addAll(ingest.ingestRows(
                    broker == null ? -1 : broker.amqpRate(), broker == null ? -1 : broker.managementRate()));
        }
        rows.addAll(endToEnd);
        if (fanOut != null) {
            rows.add(fanOut);
        }
        rows.addAll(destinations);
        rows.addAll(ordered);
        rows.addAll(processRows(cpuAtStart, rest));
        StringBuilder table =
                new StringBuilder("| measure | figure | against the ceilings | target |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        System.out.println();
        System.out.print(table);
        if (bench.args.containsKey("out")) {
            Files.writeString(Path.of(bench.args.get("out")), table.toString());
        }
    }

    /** Steal, resident memory at rest and at peak, and the live heap at the end. */
    private List<String[]> processRows(long[] cpuAtStart, long rest) {
        List<String[]> rows = new ArrayList<>();
        long[] cpuAtEnd = ProcessFigures.machineCpu();
        if (cpuAtEnd[0] > cpuAtStart[0]) {
            rows.add(Bench.row(
                    "CPU time the hypervisor took from this VM during the run (steal)",
                    String.format(
                            Locale.ROOT,
                            "%.0f %%",
                            100.0 * (cpuAtEnd[1] - cpuAtStart[1]) / (cpuAtEnd[0] - cpuAtStart[0])),
                    "figures above are from the rest",
                    ""));
        }
        // The target is 512 MB, read strictly: 512,000,000 bytes, 488 MiB.
        rows.add(Bench.row(
                "Resident memory of Herald's process"
                        + (bench.args.containsKey("rabbitManagement")
                                ? ""
                                : " (with the embedded broker; the embedded PostgreSQL runs in its own processes)"),
                "at rest " + rest / 1024 + " MiB, peak " + peakRss.get() / 1024 + " MiB",
                "",
                peakRss.get() * 1024 <= 512_000_000L ? "met (<= 512 MB, 488 MiB)" : "missed (<= 512 MB, 488 MiB)"));
        String liveHeap = ProcessFigures.heapAfterFullGc(bench.pid);
        if (liveHeap != null) {
            rows.add(Bench.row(
                    "Heap in use after a full GC at the end (what -Xmx has to hold; the rest of -Xmx is room for garbage)",
                    liveHeap,
                    "",
                    ""));
        }
        return rows;
    }
}
