package io.herald.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * bench/faults.sh's run: three Herald instances behind a load balancer on this machine's PostgreSQL and RabbitMQ, a
 * steady open-loop publisher through the balancer, and one fault after another while it publishes. After each fault,
 * once delivery has settled, the accounting of that fault's events against the publisher's record of its 202s: what
 * was stored, what each consumer received (distinct and twice), what is missing, which deliveries are in no terminal
 * or scheduled state. Any accepted event missing fails the run (exit status 1).
 */
public final class FaultRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "hk_testadmn_TestAdminKeyNotASecret0123456789";
    private static final String TOPIC = "faults.orders";
    private static final String SOURCE = "/faults";
    private static final int MAX_IN_FLIGHT = 512;

    private final Map<String, String> args;
    private final String lb;
    private final Instances instances;
    private final Observers observers;
    private final BrokerLink link;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(8))
            .build();
    private final Map<String, String> subscriptions = new HashMap<>(); // id -> role

    private FaultRun(Map<String, String> args) throws Exception {
        this.args = args;
        this.lb = args.get("lb");
        Map<String, String> settings = new HashMap<>();
        settings.put("HERALD_DB_URL", args.get("db"));
        settings.put("HERALD_BROKER_HOST", args.get("brokerHost"));
        settings.put("HERALD_BROKER_PORT", args.get("brokerPort"));
        settings.put("HERALD_BROKER_FLAVOUR", "rabbitmq");
        settings.put("HERALD_BROKER_USER", args.get("brokerUser"));
        settings.put("HERALD_BROKER_PASSWORD", args.get("brokerPassword"));
        settings.put("HERALD_BROKER_VIRTUAL_HOST", args.get("vhost"));
        settings.put("HERALD_API_KEY", KEY);
        settings.put("HERALD_DELIVERY_ALLOWED_HOSTS", "127.0.0.1");
        settings.put("HERALD_SHUTDOWN_DELAY", "2s");
        settings.put("HERALD_SHUTDOWN_GRACE", "10s");
        settings.put("MALLOC_ARENA_MAX", "2");
        int[] ports = List.of(args.get("ports").split(",")).stream()
                .mapToInt(Integer::parseInt)
                .toArray();
        // The last instance reaches the broker through a link that a fault cuts.
        int linkPort = Integer.parseInt(args.get("linkPort"));
        this.link = new BrokerLink(linkPort, args.get("brokerHost"), Integer.parseInt(args.get("brokerPort")));
        List<Map<String, String>> each = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            Map<String, String> own = new HashMap<>(settings);
            if (i == ports.length - 1) {
                own.put("HERALD_BROKER_PORT", Integer.toString(linkPort));
            }
            each.add(own);
        }
        this.instances = new Instances(args.get("jar"), each, ports);
        this.observers = new Observers(Integer.parseInt(args.get("sinkPort")));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            args.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        FaultRun run = new FaultRun(args);
        boolean lost;
        try {
            lost = run.run();
        } finally {
            run.instances.stopAll();
            run.observers.close();
            run.link.close();
        }
        System.exit(lost ? 1 : 0);
    }

    /** A fault: injected and recovered from by {@code inject}, which returns once the system is whole again. */
    private record Fault(String name, Injection inject) {}

    private interface Injection {
        void run() throws Exception;
    }

    private Map<Integer, Fault> faults() {
        List<Fault> all = List.of(
                new Fault("SIGKILL of one instance, started again 10 s later", () -> {
                    instances.kill(0);
                    Thread.sleep(10_000);
                    instances.start(0);
                }),
                new Fault("Rolling restart of all three with SIGTERM", () -> {
                    for (int i = 0; i < instances.count(); i++) {
                        instances.terminate(i);
                        instances.start(i);
                    }
                }),
                new Fault("RabbitMQ stopped for 30 s, then started", () -> {
                    command("rabbitmqctl", "-q", "stop_app");
                    Thread.sleep(30_000);
                    command("rabbitmqctl", "-q", "start_app");
                }),
                new Fault("The network between one instance and RabbitMQ cut for 30 s, then restored", () -> {
                    link.cut();
                    Thread.sleep(30_000);
                    link.restore();
                }),
                new Fault(
                        "PostgreSQL restarted (fast shutdown)",
                        () -> command(
                                "pg_ctlcluster",
                                "--skip-systemctl-redirect",
                                args.get("pgVersion"),
                                "main",
                                "restart",
                                "-m",
                                "fast")),
                new Fault("A webhook receiver that hangs for 30 s", () -> switchFor(Observers.Mode.HANG, 30)),
                new Fault("A webhook receiver that answers 500 for 60 s", () -> switchFor(Observers.Mode.ERROR, 60)),
                new Fault(
                        "A webhook receiver that closes connections mid-request for 60 s",
                        () -> switchFor(Observers.Mode.RESET, 60)));
        // Numbered as in the README, whichever are chosen.
        Map<Integer, Fault> numbered = new LinkedHashMap<>();
        String chosen = args.getOrDefault("faults", "all");
        for (int number = 1; number <= all.size(); number++) {
            if (chosen.equals("all") || List.of(chosen.split(",")).contains(Integer.toString(number))) {
                numbered.put(number, all.get(number - 1));
            }
        }
        return numbered;
    }

    private void switchFor(Observers.Mode mode, int seconds) throws InterruptedException {
        observers.mode = mode;
        Thread.sleep(seconds * 1000L);
        observers.mode = Observers.Mode.OK;
    }

    private boolean run() throws Exception {
        for (int i = 0; i < instances.count(); i++) {
            instances.start(i);
        }
        Thread.sleep(3000); // the balancer's health checks see them up
        api("POST", "/topics", "{\"name\": \"" + TOPIC + "\"}");
        String sink = "http://127.0.0.1:" + args.get("sinkPort");
        subscriptions.put(webhook(sink + "/healthy", ""), "healthy");
        // Retries close together, so a receiver back after a minute gets everything within the settling time.
        subscriptions.put(
                webhook(
                        sink + "/switchable",
                        ", \"timeout\": \"PT5S\", \"retrySchedule\": [\"PT0S\", \"PT1S\", \"PT2S\", \"PT5S\", \"PT10S\","
                                + " \"PT15S\", \"PT20S\", \"PT30S\", \"PT30S\", \"PT30S\", \"PT30S\", \"PT30S\"]"),
                "switchable");
        JsonNode queue =
                JSON.readTree(api("POST", "/subscriptions", "{\"topic\": \"" + TOPIC + "\", \"kind\": \"queue\"}"));
        subscriptions.put(queue.path("id").asText(), "queue");
        String queueName = queue.path("queue").path("address").asText().replaceFirst("^/amq/queue/", "");
        observers.consume(
                args.get("brokerHost"),
                Integer.parseInt(args.get("brokerPort")),
                args.get("brokerUser"),
                args.get("brokerPassword"),
                args.get("vhost"),
                queueName);
        Thread.sleep(2000); // lanes attach

        List<String> rows = new ArrayList<>();
        boolean lost = false;
        Map<Integer, Fault> faults = new LinkedHashMap<>();
        // Row 0: the same load with no fault, while the three JVMs compile their hot code (they start cold).
        faults.put(0, new Fault("No fault (the instances warming up)", () -> Thread.sleep(15_000)));
        faults.putAll(faults());
        for (Map.Entry<Integer, Fault> numbered : faults.entrySet()) {
            int n = numbered.getKey();
            Fault fault = numbered.getValue();
            System.out.printf("[faults] %d. %s%n", n, fault.name());
            Account account = phase("f" + n + "-", fault);
            System.out.printf("[faults] %d. %s%n", n, account.line());
            rows.add("| " + n + ". " + fault.name() + " | " + account.row() + " |");
            lost |= account.missing() > 0;
        }
        String table = "| fault | accepted (202) | not accepted: what clients saw | longest time without a 202 |"
                + " stored | webhook, healthy: distinct / twice / missing | webhook, the faulty receiver: distinct /"
                + " twice / missing | queue consumer: distinct / twice / missing | deliveries in no terminal or"
                + " scheduled state | settled after the fault |\n|---|---|---|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
        Files.writeString(Path.of(args.get("out")), table);
        System.out.println(table);
        return lost;
    }

    private String webhook(String url, String settings) throws Exception {
        return JSON.readTree(api(
                        "POST",
                        "/subscriptions",
                        "{\"topic\": \"" + TOPIC + "\", \"kind\": \"webhook\", \"webhook\": {\"url\": \"" + url
                                + "\", \"format\": \"cloudevents-binary\"" + settings + "}}"))
                .path("id")
                .asText();
    }

    /** Publishes through the fault and until it has been over for 15 s, then waits for delivery and accounts. */
    private Account phase(String prefix, Fault fault) throws Exception {
        Load load = new Load(prefix, Integer.parseInt(args.getOrDefault("rate", "300")));
        load.start();
        Thread.sleep(10_000);
        fault.inject().run();
        long recovered = System.nanoTime();
        Thread.sleep(15_000);
        load.stop();
        Set<String> accepted = load.accepted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        // Settled: every consumer has every accepted event, and every delivery is recorded in a terminal or scheduled
        // state (a delivery answered during a database restart is recorded when its message comes back).
        while (System.nanoTime() < deadline
                && !(observers.healthy.keySet().containsAll(accepted)
                        && observers.switchable.keySet().containsAll(accepted)
                        && observers.queued.keySet().containsAll(accepted)
                        && notTerminal(prefix) == 0)) {
            Thread.sleep(1000);
        }
        double settled = (System.nanoTime() - recovered) / 1e9;
        return account(prefix, load, accepted, settled);
    }

    private record Account(
            int accepted,
            String refused,
            double longestGap,
            long stored,
            String healthy,
            String switchable,
            String queue,
            long notTerminal,
            double settled,
            long missing) {
        String row() {
            return String.format(
                    Locale.ROOT,
                    "%,d | %s | %.1f s | %,d | %s | %s | %s | %d | %.0f s",
                    accepted,
                    refused,
                    longestGap,
                    stored,
                    healthy,
                    switchable,
                    queue,
                    notTerminal,
                    settled);
        }

        String line() {
            return "accepted " + accepted + ", refused " + refused + ", stored " + stored + ", healthy " + healthy
                    + ", faulty receiver " + switchable + ", queue " + queue + ", not terminal " + notTerminal
                    + ", missing " + missing;
        }
    }

    private Account account(String prefix, Load load, Set<String> accepted, double settled) throws Exception {
        long stored;
        try (Connection db = DriverManager.getConnection(args.get("db"))) {
            try (PreparedStatement statement =
                    db.prepareStatement("select count(*) from events where source = ? and ce_id like ?")) {
                statement.setString(1, SOURCE);
                statement.setString(2, prefix + "%");
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    stored = rows.getLong(1);
                }
            }
        }
        long notTerminal = notTerminal(prefix);
        long missingHealthy = missing(observers.healthy, accepted);
        long missingSwitchable = missing(observers.switchable, accepted);
        long missingQueue = missing(observers.queued, accepted);
        return new Account(
                accepted.size(),
                load.refused(),
                load.longestGapSeconds(),
                stored,
                received(observers.healthy, prefix, missingHealthy),
                received(observers.switchable, prefix, missingSwitchable),
                received(observers.queued, prefix, missingQueue),
                notTerminal,
                settled,
                missingHealthy + missingSwitchable + missingQueue + Math.max(0, accepted.size() - stored));
    }

    /**
     * Deliveries of the fault's events in no terminal or scheduled state: webhook deliveries end DELIVERED, EXHAUSTED
     * or DISCARDED, or wait RETRYING with a time; a queue subscription's delivery ends QUEUED. Anything else is stuck.
     */
    private long notTerminal(String prefix) throws Exception {
        try (Connection db = DriverManager.getConnection(args.get("db"));
                PreparedStatement statement = db.prepareStatement("""
                        select count(*) from deliveries d
                        join events e on e.id = d.event_id and e.accepted_at = d.event_accepted_at
                        join subscriptions s on s.id = d.subscription_id
                        where e.source = ? and e.ce_id like ?
                          and not (d.state in ('DELIVERED', 'EXHAUSTED', 'DISCARDED')
                                   or (d.state = 'RETRYING' and d.next_attempt_at is not null)
                                   or (s.kind = 'QUEUE' and d.state = 'QUEUED'))""")) {
            statement.setString(1, SOURCE);
            statement.setString(2, prefix + "%");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long missing(Map<String, AtomicInteger> received, Set<String> accepted) {
        return accepted.stream().filter(id -> !received.containsKey(id)).count();
    }

    private static String received(Map<String, AtomicInteger> counts, String prefix, long missing) {
        long distinct =
                counts.keySet().stream().filter(id -> id.startsWith(prefix)).count();
        long twice = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue().get() > 1)
                .count();
        return String.format(Locale.ROOT, "%,d / %,d / %,d", distinct, twice, missing);
    }

    private String api(String method, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(lb + "/api/v1" + path))
                        .header("X-API-Key", KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /**
     * An open-loop publisher: {@code rate} events a second through the balancer whatever the answers, each a CloudEvent
     * in binary mode with a unique id, at most {@value #MAX_IN_FLIGHT} in flight (beyond that a tick's events count as
     * not sent).
     */
    private final class Load {
        private final String prefix;
        private final int rate;
        private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        private final AtomicInteger sequence = new AtomicInteger();
        private final Map<String, String> outcomes = new ConcurrentHashMap<>();
        private final AtomicLong lastAccepted = new AtomicLong(System.nanoTime());
        private final AtomicLong longestGap = new AtomicLong();

        Load(String prefix, int rate) {
            this.prefix = prefix;
            this.rate = rate;
        }

        void start() {
            long started = System.nanoTime();
            ticks.scheduleAtFixedRate(
                    () -> {
                        // As many as the rate owes by now: any rate, not only multiples of the 100 ticks a second.
                        long due = (System.nanoTime() - started) * rate / 1_000_000_000L;
                        while (sequence.get() < due) {
                            send(prefix + sequence.incrementAndGet());
                        }
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);
        }

        private void send(String id) {
            if (!inFlight.tryAcquire()) {
                outcomes.put(id, "not sent (" + MAX_IN_FLIGHT + " in flight)");
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(lb + "/api/v1/topics/" + TOPIC + "/events"))
                    .header("X-API-Key", KEY)
                    .header("Content-Type", "application/json")
                    .header("ce-specversion", "1.0")
                    .header("ce-id", id)
                    .header("ce-source", SOURCE)
                    .header("ce-type", "order.placed")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"order\": \"" + id + "\"}"))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                inFlight.release();
                String outcome;
                if (error != null) {
                    Throwable cause = error.getCause() == null ? error : error.getCause();
                    outcome = cause instanceof HttpTimeoutException
                            ? "timeout"
                            : cause.getClass().getSimpleName();
                } else {
                    outcome = Integer.toString(response.statusCode());
                }
                outcomes.put(id, outcome);
                if (outcome.equals("202")) {
                    long now = System.nanoTime();
                    long before = lastAccepted.getAndSet(now);
                    longestGap.accumulateAndGet(now - before, Math::max);
                }
            });
        }

        void stop() throws InterruptedException {
            ticks.shutdown();
            ticks.awaitTermination(5, TimeUnit.SECONDS);
            inFlight.acquire(MAX_IN_FLIGHT); // every request answered or timed out
            inFlight.release(MAX_IN_FLIGHT);
        }

        Set<String> accepted() {
            return outcomes.entrySet().stream()
                    .filter(e -> e.getValue().equals("202"))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        String refused() {
            Map<String, Long> kinds = new TreeMap<>(outcomes.values().stream()
                    .filter(outcome -> !outcome.equals("202"))
                    .collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting())));
            return kinds.isEmpty()
                    ? "none"
                    : kinds.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", "));
        }

        double longestGapSeconds() {
            return longestGap.get() / 1e9;
        }
    }
}
