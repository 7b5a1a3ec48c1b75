package io.herald.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Herald run as its own process, the way operators run it (failsafe ITs, after {@code package}): in
 * external mode against the database and broker a test started, with its log under {@code target/}.
 */
public final class HeraldProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private HeraldProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The settings of an instance on {@code jdbcUrl} and the Artemis on {@code brokerPort}, with its data dir. */
    public static Map<String, String> externalMode(String jdbcUrl, int brokerPort, Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_DB_URL", jdbcUrl);
        env.put("HERALD_BROKER_HOST", "127.0.0.1");
        env.put("HERALD_BROKER_PORT", Integer.toString(brokerPort));
        env.put("HERALD_BROKER_FLAVOUR", "artemis");
        env.put("HERALD_DELIVERY_ALLOWED_HOSTS", "127.0.0.1");
        env.put("HERALD_DATA_DIR", dataDir.toString());
        env.put("HERALD_API_KEY", HeraldApi.ADMIN_KEY);
        return env;
    }

    /** Starts the process and returns at once; {@link #awaitReady()} waits for it. */
    public static HeraldProcess launch(String name, Map<String, String> settings) throws IOException {
        int port = freePort();
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return launch(
                name,
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        System.getProperty("herald.jar", "target/quarkus-app/quarkus-run.jar")),
                environment,
                port);
    }

    /** Runs {@code command} (which makes Herald listen on {@code port}) with {@code environment} added to this one's. */
    public static HeraldProcess launch(String name, List<String> command, Map<String, String> environment, int port)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Path log = Path.of("target", "it-" + name + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new HeraldProcess(name, port, builder.start(), log);
    }

    /** Starts the process and waits until it is ready. */
    public static HeraldProcess start(String name, Map<String, String> settings) throws IOException {
        return launch(name, settings).awaitReady();
    }

    public HeraldProcess awaitReady() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertTrue(process.isAlive(), "Herald " + name + " exited; see " + log);
                    return ready() == 200;
                });
        return this;
    }

    /** The readiness probe's status, or -1 when nothing answers. */
    public int ready() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(base() + "/q/health/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String api() {
        return base() + "/api/v1";
    }

    /** POSTs JSON to {@code path} under the API with the admin key; fails the test unless it answers 2xx. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api() + path))
                        .header("X-API-Key", HeraldApi.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(
                response.statusCode() < 300,
                "POST " + path + " answered " + response.statusCode() + ": " + response.body());
        return response;
    }

    /** GETs {@code path} (from the server's root, as a Location header gives it) with the admin key. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("X-API-Key", HeraldApi.ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as an orchestrator stops an instance. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the instance dies with whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
