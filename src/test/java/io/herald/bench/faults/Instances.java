package io.herald.bench.faults;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The Herald instances of a fault run: packaged processes on fixed ports, killed, stopped and started again. */
final class Instances {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String jar;
    private final List<Map<String, String>> settings;
    private final int[] ports;
    private final Process[] processes;
    private final Path logs;

    /** {@code settings}: each instance's environment, in the order of {@code ports}. */
    Instances(String jar, List<Map<String, String>> settings, int[] ports, Path logs) {
        this.jar = jar;
        this.settings = settings;
        this.ports = ports;
        this.processes = new Process[ports.length];
        this.logs = logs;
    }

    int count() {
        return ports.length;
    }

    void start(int i) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("herald-faults-" + i);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar);
        builder.environment().putAll(settings.get(i));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(ports[i]));
        builder.environment().put("HERALD_DATA_DIR", data.toString());
        File log = logs.resolve("faults-herald-" + (i + 1) + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        processes[i] = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (ready(i) != 200) {
            if (!processes[i].isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + (i + 1) + " did not become ready; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /** SIGKILL: the instance dies with whatever it was doing. */
    void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orchestrator stops an instance; waits for it to exit. */
    void terminate(int i) throws InterruptedException {
        processes[i].destroy();
        if (!processes[i].waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("instance " + (i + 1) + " did not stop within 60 s of SIGTERM");
        }
    }

    void stopAll() throws InterruptedException {
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && processes[i].isAlive()) {
                terminate(i);
            }
        }
    }

    private int ready(int i) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i] + "/q/health/ready"))
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
}
