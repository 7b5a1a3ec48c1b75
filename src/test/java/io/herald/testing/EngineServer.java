package io.herald.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An engine's own server (Debian's nats-server, redis-server) run by a test on a port of its own, so that the test can
 * stop and start it without touching the machine's services. Where the binary is missing the test is skipped, unless
 * HERALD_ENGINES_REQUIRED is set (.ci/run sets it): then it fails.
 */
public final class EngineServer implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;

    private EngineServer(String name, List<String> command, int port, Path log) {
        this.name = name;
        this.command = command;
        this.port = port;
        this.log = log;
    }

    /** NATS with JetStream, its store in a fresh directory that survives a stop and start. */
    public static EngineServer nats(int port) throws IOException {
        Path store = Files.createTempDirectory("herald-nats-");
        return started(
                "nats",
                List.of(
                        binary("nats-server"),
                        "-a",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-js",
                        "-sd",
                        store.toString()),
                port);
    }

    /** Redis keeping its data across a stop and start (an append-only file in a fresh directory). */
    public static EngineServer redis(int port) throws IOException {
        Path dir = Files.createTempDirectory("herald-redis-");
        return started(
                "redis",
                List.of(
                        binary("redis-server"),
                        "--bind",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--save",
                        "",
                        "--appendonly",
                        "yes",
                        "--dir",
                        dir.toString()),
                port);
    }

    /**
     * A one-node Kafka cluster in KRaft mode (broker and controller), from the jars .ci/run copies out of Maven Central
     * into .ci/engines/kafka/target/libs; its log directory survives a stop and start.
     */
    public static EngineServer kafka(int port) throws IOException, InterruptedException {
        Path libs = libs("kafka");
        Path dir = Files.createTempDirectory("herald-kafka-");
        Path properties = dir.resolve("server.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + (port + 1),
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "auto.create.topics.enable=false"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = libs.toAbsolutePath() + "/*";
        Process format = new ProcessBuilder(
                        java,
                        "-cp",
                        classpath,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        "herald-test-cluster-01",
                        "-c",
                        properties.toString())
                .redirectErrorStream(true)
                .start();
        String formatted = new String(format.getInputStream().readAllBytes());
        if (format.waitFor() != 0) {
            throw new IOException("Kafka's storage could not be formatted: " + formatted);
        }
        return started(
                "kafka", List.of(java, "-Xmx256m", "-cp", classpath, "kafka.Kafka", properties.toString()), port);
    }

    /** ElasticMQ, an SQS-compatible server, keeping its queues (not their messages) across a stop and start. */
    public static EngineServer elasticmq(int port) throws IOException {
        Path libs = libs("elasticmq");
        Path dir = Files.createTempDirectory("herald-elasticmq-");
        Path config = dir.resolve("elasticmq.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "include classpath(\"application.conf\")",
                        "node-address { protocol = http, host = \"127.0.0.1\", port = " + port
                                + ", context-path = \"\" }",
                        "rest-sqs { enabled = true, bind-port = " + port
                                + ", bind-hostname = \"127.0.0.1\", sqs-limits = strict }",
                        "rest-stats { enabled = false }",
                        "queues-storage { enabled = true, path = \"" + dir.resolve("queues.conf") + "\" }"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return started(
                "elasticmq",
                List.of(
                        java,
                        "-Xmx128m",
                        "-Dconfig.file=" + config,
                        "-cp",
                        libs.toAbsolutePath() + "/*",
                        "org.elasticmq.server.Main"),
                port);
    }

    /** The jars .ci/run copies out of Maven Central for an engine run with java -cp. */
    private static Path libs(String engine) {
        Path libs = Path.of(".ci/engines/" + engine + "/target/libs");
        if (!Files.isDirectory(libs)) {
            if (System.getenv("HERALD_ENGINES_REQUIRED") != null) {
                throw new IllegalStateException(engine + "'s jars are not in " + libs + " (.ci/run copies them there)");
            }
            assumeTrue(false, engine + "'s jars are not in " + libs + ": the destination test is skipped");
        }
        return libs;
    }

    private static EngineServer started(String name, List<String> command, int port) throws IOException {
        EngineServer server = new EngineServer(name, command, port, Files.createTempFile("herald-" + name, ".log"));
        server.start();
        return server;
    }

    private static String binary(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        if (System.getenv("HERALD_ENGINES_REQUIRED") != null) {
            throw new IllegalStateException(name + " is not installed, and HERALD_ENGINES_REQUIRED is set");
        }
        assumeTrue(false, name + " is not installed: the destination test is skipped");
        return null;
    }

    public int port() {
        return port;
    }

    public void start() throws IOException {
        process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited at start: " + Files.readString(log));
                }
                sleep(100);
            }
        }
        throw new IOException(name + " did not listen on " + port + ": " + Files.readString(log));
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
