package io.herald.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An OCI image archive, unpacked and run the way its config says, without a container engine: the layers extracted in
 * order into a root file system, then the entrypoint started under bubblewrap (Debian's {@code bwrap}) with that root
 * mounted read-only, a fresh /dev, /proc and /tmp, the volumes bound, the config's user (in a user namespace), working
 * directory and environment. The host's network is shared, as with {@code --network host}. Podman cannot start a
 * container in this sandbox ({@code crun: setrlimit RLIMIT_NOFILE: Operation not permitted}); bubblewrap needs no
 * rlimit calls.
 */
final class OciImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path rootFs;
    final JsonNode config;
    final long compressedBytes;

    private OciImage(Path rootFs, JsonNode config, long compressedBytes) {
        this.rootFs = rootFs;
        this.config = config;
        this.compressedBytes = compressedBytes;
    }

    /** Unpacks {@code archive} into {@code directory} (emptied first). */
    static OciImage unpack(Path archive, Path directory) throws IOException, InterruptedException {
        Path layout = directory.resolve("layout");
        Path rootFs = directory.resolve("rootfs");
        run("rm", "-rf", directory.toString());
        Files.createDirectories(layout);
        Files.createDirectories(rootFs);
        run("tar", "-xf", archive.toString(), "-C", layout.toString());
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(
                blob(layout, index.path("manifests").path(0).path("digest").asText())
                        .toFile());
        JsonNode config = JSON.readTree(
                blob(layout, manifest.path("config").path("digest").asText()).toFile());
        long compressed = manifest.path("config").path("size").asLong();
        for (JsonNode layer : manifest.path("layers")) {
            compressed += layer.path("size").asLong();
            Path blob = blob(layout, layer.path("digest").asText());
            List<String> entries = output("tar", "-tzf", blob.toString());
            if (entries.stream().anyMatch(entry -> entry.contains(".wh."))) {
                throw new IllegalStateException("whiteouts are not handled here: " + layer);
            }
            // As root, tar keeps owners and modes. Device nodes are left out: the runner mounts a fresh /dev.
            run("tar", "-xzf", blob.toString(), "-C", rootFs.toString(), "--exclude=./dev/*", "--exclude=dev/*");
        }
        // Mount points for the files an engine provides (the root file system is mounted read-only).
        for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
            if (!Files.exists(rootFs.resolve(file))) {
                Files.createFile(rootFs.resolve(file));
            }
        }
        return new OciImage(rootFs, config, compressed);
    }

    private static Path blob(Path layout, String digest) {
        String[] parts = digest.split(":", 2);
        return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
    }

    String label(String name) {
        return config.path("config").path("Labels").path(name).asText(null);
    }

    /**
     * The command that runs the image: its entrypoint and cmd, as its user, with its environment plus {@code env}, and
     * {@code volumes} (container path to host directory) bound read-write.
     */
    List<String> command(Map<String, String> env, Map<String, Path> volumes) {
        JsonNode run = config.path("config");
        String[] user = run.path("User").asText("0:0").split(":");
        List<String> command = new ArrayList<>(List.of(
                "bwrap",
                "--ro-bind",
                rootFs.toString(),
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--tmpfs",
                "/tmp",
                "--unshare-user",
                "--uid",
                user[0],
                "--gid",
                user.length > 1 ? user[1] : user[0],
                // No PID namespace: bubblewrap would not pass a SIGTERM on to the entrypoint; the test signals it.
                "--die-with-parent",
                "--clearenv"));
        // The host's resolver and hosts file, as an engine provides them.
        for (String file : List.of("/etc/resolv.conf", "/etc/hosts")) {
            command.addAll(List.of("--ro-bind", file, file));
        }
        volumes.forEach((inside, host) -> command.addAll(List.of("--bind", host.toString(), inside)));
        if (run.hasNonNull("WorkingDir")) {
            command.addAll(List.of("--chdir", run.path("WorkingDir").asText()));
        }
        for (JsonNode variable : run.path("Env")) {
            String[] pair = variable.asText().split("=", 2);
            if (!env.containsKey(pair[0])) {
                command.addAll(List.of("--setenv", pair[0], pair[1]));
            }
        }
        env.forEach((name, value) -> command.addAll(List.of("--setenv", name, value)));
        command.add("--");
        run.path("Entrypoint").forEach(part -> command.add(part.asText()));
        run.path("Cmd").forEach(part -> command.add(part.asText()));
        return command;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static List<String> output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines =
                new String(process.getInputStream().readAllBytes()).lines().toList();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + lines);
        }
        return lines;
    }
}
