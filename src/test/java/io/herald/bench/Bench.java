package io.herald.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every phase of the benchmark shares: the arguments, Herald's API and process, the open-loop load generator, and
 * the ways of measuring (a rate ladder, settling between steps, warming a path until the JIT is quiet).
 */
final class Bench implements AutoCloseable {
    static final Pattern ADDRESS = Pattern.compile("\"address\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final java.net.http.HttpClient API = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();

    final Map<String, String> args;
    final Vertx vertx = Vertx.vertx();
    final OpenLoopLoad load;
    /** Herald's process id (0: unknown, CPU and memory figures read 0). */
    final long pid;
    /** The external broker's process id (0: none or unknown), whose CPU the broker's share of the machine shows. */
    final long brokerPid;

    private final String base;
    private final String key;

    Bench(Map<String, String> args) {
        this.args = args;
        this.base = args.getOrDefault("base", "http://localhost:18080");
        this.key = args.get("key");
        this.pid = Long.parseLong(args.getOrDefault("pid", "0"));
        this.brokerPid = Long.parseLong(args.getOrDefault("brokerPid", "0"));
        URI uri = URI.create(base);
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(128).setMaxWaitQueueSize(-1));
        this.load = new OpenLoopLoad(client, uri.getHost(), uri.getPort());
    }

    /** Whether the phase runs: named in {@code phases}, or part of the default "all". */
    boolean phase(String name) {
        return args.getOrDefault("phases", "all").equals("all") || named(name);
    }

    /** Whether the phase is named in {@code phases} (for phases outside "all"). */
    boolean named(String phase) {
        return Arrays.asList(args.getOrDefault("phases", "all").split(",")).contains(phase);
    }

    int intArg(String name, int otherwise) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(otherwise)));
    }

    /** JSON request headers carrying the API key. */
    MultiMap authedJson() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("X-API-Key", key);
    }

    /** A new topic named {@code prefix} plus a number, returned. */
    String topic(String prefix) throws Exception {
        String topic = prefix + "-" + System.currentTimeMillis() % 100000;
        api("POST", "/api/v1/topics", "{\"name\": \"" + topic + "\"}");
        return topic;
    }

    String queueSubscription(String topic) throws Exception {
        return id(api("POST", "/api/v1/subscriptions", "{\"topic\": \"" + topic + "\", \"kind\": \"queue\"}"));
    }

    String webhookSubscription(String topic, String url, String settings) throws Exception {
        return id(api(
                "POST",
                "/api/v1/subscriptions",
                "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", \"webhook\": {\"url\": \"" + url + "\""
                        + settings + "}}"));
    }

    void deleteSubscription(String id) throws Exception {
        api("DELETE", "/api/v1/subscriptions/" + id + "?force=true", null);
    }

    String api(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", key);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = API.send(
                request.method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static java.net.http.HttpClient http() {
        return API;
    }

    static String id(String json) {
        return match(ID, json);
    }

    static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + text);
        }
        return matcher.group(1);
    }

    /**
     * Steps the offered rate up by half each time (8 s a step) until it is no longer sustained, then halves the gap
     * between the last rate that held and the first that did not, twice (so the figure is within an eighth of the
     * ceiling, not up to half below it). When the first step fails twice, steps down by a third until one holds.
     */
    OpenLoopLoad.Result highestSustained(String path, MultiMap headers, Buffer body, int from)
            throws InterruptedException {
        OpenLoopLoad.Result best = null;
        int failedAt = 0;
        for (int rate = from; rate <= 64_000; rate = rate * 3 / 2) {
            OpenLoopLoad.Result step = step(path, headers, body, rate);
            if (!step.sustained() && best == null) {
                // A first step that fails runs once more: one stall of the shared machine (10 s, while an external
                // RabbitMQ logged a crash of its AMQP 1.0 session) once put the HTTP ceiling at a tenth of the usual.
                settle();
                step = step(path, headers, body, rate);
            }
            if (!step.sustained()) {
                failedAt = rate;
                break;
            }
            best = step;
            settle();
        }
        for (int i = 0; i < 2 && best != null && failedAt > 0; i++) {
            settle(); // the step that did not hold left a backlog behind (the relay and the broker catch up)
            int rate = (best.offeredPerSecond() + failedAt) / 2;
            OpenLoopLoad.Result step = step(path, headers, body, rate);
            if (step.sustained()) {
                best = step;
            } else {
                failedAt = rate;
            }
        }
        // Not even the first step held: step down the same way, so the figure is still a measured ceiling.
        for (int rate = from * 2 / 3; best == null && rate >= 50; rate = rate * 2 / 3) {
            settle();
            OpenLoopLoad.Result step = step(path, headers, body, rate);
            if (step.sustained()) {
                best = step;
            }
        }
        return best == null ? load.run(path, headers, t -> body, 50, Duration.ofSeconds(5), 202) : best;
    }

    /** One 8-second step of the ladder, logged. */
    private OpenLoopLoad.Result step(String path, MultiMap headers, Buffer body, int rate) throws InterruptedException {
        OpenLoopLoad.Result step = load.run(path, headers, t -> body, rate, Duration.ofSeconds(8), 202);
        log(String.format(
                Locale.ROOT,
                "%s at %,d/s: %,.0f/s answered, p50 %.1f ms, p99 %.1f ms, failed %d%s",
                path,
                rate,
                step.okPerSecond(),
                step.p(50),
                step.p(99),
                step.failed(),
                step.sustained() ? "" : "  (not sustained)"));
        return step;
    }

    /**
     * Waits until Herald is nearly idle (under a fifth of a core over the last second, at least 3 s, at most 60 s), so a
     * step does not pay for the backlog the one before left.
     */
    void settle() throws InterruptedException {
        Thread.sleep(2000);
        for (int second = 0; second < 58; second++) {
            double before = ProcessFigures.cpuSeconds(pid);
            Thread.sleep(1000);
            if (ProcessFigures.cpuSeconds(pid) - before < 0.2) {
                return;
            }
        }
    }

    /** What a warm-up took: wall time, rounds, JIT compiler time in it, and the JIT's share of a core in its last round. */
    record Warmed(double seconds, int rounds, double jitSeconds, double lastShare) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%.0f s in %d rounds (%.0f s of JIT compilation in it; last round: %.0f %% of a core)",
                    seconds,
                    rounds,
                    jitSeconds,
                    lastShare * 100);
        }
    }

    /** Runs rounds until the JIT compilers use under 5 % of a core over one, at most {@code maxRounds} or for {@code maxTime}. */
    Warmed warmPath(String what, int maxRounds, Duration maxTime, Callable<?> round) throws Exception {
        long started = System.nanoTime();
        double compiledAtStart = ProcessFigures.compilerSeconds(pid);
        double share = 1;
        int rounds = 0;
        while (rounds < maxRounds && share >= 0.05 && System.nanoTime() - started < maxTime.toNanos()) {
            double before = ProcessFigures.compilerSeconds(pid);
            long roundStart = System.nanoTime();
            round.call();
            rounds++;
            share = compilerShareSince(before, roundStart);
            log(String.format(
                    Locale.ROOT, "%s: JIT compilers used %.0f %% of a core over the last round", what, share * 100));
        }
        return new Warmed(
                (System.nanoTime() - started) / 1e9,
                rounds,
                ProcessFigures.compilerSeconds(pid) - compiledAtStart,
                share);
    }

    /** The share of a core Herald's JIT compilers used since {@code compilerSecondsBefore}, read at {@code startNanos}. */
    double compilerShareSince(double compilerSecondsBefore, long startNanos) {
        return (ProcessFigures.compilerSeconds(pid) - compilerSecondsBefore) / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** CPU time Herald (and the external broker) use from now on, per event: "Herald CPU x ms per event[, RabbitMQ y]". */
    CpuUse cpuFromNow() {
        return new CpuUse(ProcessFigures.cpuSeconds(pid), ProcessFigures.cpuSeconds(brokerPid));
    }

    final class CpuUse {
        private final double heraldBefore;
        private final double brokerBefore;

        private CpuUse(double heraldBefore, double brokerBefore) {
            this.heraldBefore = heraldBefore;
            this.brokerBefore = brokerBefore;
        }

        double heraldMsPer(long events) {
            return (ProcessFigures.cpuSeconds(pid) - heraldBefore) * 1000 / Math.max(1, events);
        }

        String perEvent(long events) {
            String herald = String.format(Locale.ROOT, "Herald CPU %.2f ms per event", heraldMsPer(events));
            return brokerPid == 0
                    ? herald
                    : herald
                            + String.format(
                                    Locale.ROOT,
                                    ", RabbitMQ CPU %.2f ms",
                                    (ProcessFigures.cpuSeconds(brokerPid) - brokerBefore) * 1000 / Math.max(1, events));
        }
    }

    static String rate(OpenLoopLoad.Result result) {
        return String.format(
                Locale.ROOT,
                "%,.0f/s (p50 %.1f ms, p99 %.1f ms at that rate)",
                result.okPerSecond(),
                result.p(50),
                result.p(99));
    }

    static String ratio(double herald, double ceiling) {
        return ceiling <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * herald / ceiling);
    }

    /** A row of the results table: measure, figure, against the ceilings, target. */
    static String[] row(String measure, String figure, String againstCeilings, String target) {
        return new String[] {measure, figure, againstCeilings, target};
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
    }

    @Override
    public void close() {
        vertx.close();
    }
}
