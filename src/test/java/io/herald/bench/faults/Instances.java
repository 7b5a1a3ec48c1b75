package io.herald.bench.faults;

import io.herald.testing.HeraldProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Herald instances of a fault run: packaged processes on fixed ports, killed, stopped and started again. Each start
 * logs to its own file, target/it-faults-herald-&lt;instance&gt;-&lt;start&gt;.log.
 */
final class Instances {
    private final String jar;
    private final List<Map<String, String>> settings;
    private final int[] ports;
    private final HeraldProcess[] running;
    private final int[] starts;

    /** {@code settings}: each instance's environment, in the order of {@code ports}. */
    Instances(String jar, List<Map<String, String>> settings, int[] ports) {
        this.jar = jar;
        this.settings = settings;
        this.ports = ports;
        this.running = new HeraldProcess[ports.length];
        this.starts = new int[ports.length];
    }

    int count() {
        return ports.length;
    }

    void start(int i) throws IOException {
        Map<String, String> environment = new HashMap<>(settings.get(i));
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(ports[i]));
        environment.put(
                "HERALD_DATA_DIR",
                Files.createTempDirectory("herald-faults-" + i).toString());
        List<String> command =
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar);
        running[i] = HeraldProcess.launch(
                        "faults-herald-" + (i + 1) + "-" + (++starts[i]), command, environment, ports[i])
                .awaitReady();
    }

    /** SIGKILL: the instance dies with whatever it was doing. */
    void kill(int i) throws InterruptedException {
        running[i].kill();
    }

    /** SIGTERM, as an orchestrator stops an instance; waits for it to exit. */
    void terminate(int i) throws InterruptedException {
        running[i].terminate();
        if (!running[i].process().waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("instance " + (i + 1) + " did not stop within 60 s of SIGTERM");
        }
    }

    void stopAll() throws InterruptedException {
        for (HeraldProcess instance : running) {
            if (instance != null) {
                instance.close();
            }
        }
    }
}
