package io.herald.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldApi;
import io.herald.testing.HeraldProcess;
import io.herald.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image (target/herald-image.tar, from deploy/image/build.sh) run as its config says (see
 * {@link OciImage}): in embedded mode with a volume for /data that outlives the container, and in external mode on
 * the PostgreSQL and RabbitMQ the external test pass names; a publish reaches a webhook in both. Skipped when the
 * image was not built, unless HERALD_IMAGE_REQUIRED is set (.ci/run builds it and sets it).
 */
class ContainerImageIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("herald.image", "target/herald-image.tar"));
    private static OciImage image;

    @TempDir
    Path temp;

    @BeforeAll
    static void unpack() throws Exception {
        boolean required = System.getenv("HERALD_IMAGE_REQUIRED") != null;
        if (!required) {
            Assumptions.assumeTrue(
                    Files.exists(ARCHIVE),
                    "no image: build it with deploy/image/build.sh -DskipTests (README, Deploy)");
        }
        assertTrue(Files.exists(ARCHIVE), ARCHIVE + " is missing; deploy/image/build.sh builds it");
        image = OciImage.unpack(ARCHIVE, Path.of("target", "image-run"));
        System.out.printf(
                "[image] %s: %.1f MiB compressed, %s%n",
                ARCHIVE, image.compressedBytes / 1048576.0, image.config.path("config"));
    }

    @Test
    void theImageRunsAsANonRootUserWithItsDataOnAVolume() {
        var config = image.config.path("config");
        assertEquals("10001:10001", config.path("User").asText());
        assertTrue(config.path("Volumes").has("/data"));
        assertTrue(config.path("ExposedPorts").has("8080/tcp"));
        assertTrue(config.path("Env").toString().contains("HERALD_DATA_DIR=/data"));
        for (String label : new String[] {
            "org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.source"
        }) {
            assertFalse(image.label(label) == null || image.label(label).isBlank(), label);
        }
    }

    @Test
    void embeddedModeKeepsItsDataOnTheVolumeAcrossARestart() throws Exception {
        Path volume = Files.createDirectories(temp.resolve("data"));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String eventPath;
            try (HeraldProcess first = run("image-embedded", embedded(), volume)) {
                eventPath = publishToAWebhook(first, receiver, "image.embedded");
                stop(first);
            }
            try (HeraldProcess second = run("image-embedded-again", embedded(), volume)) {
                assertEquals(200, second.get(eventPath).statusCode());
                assertTrue(second.log().contains("data in /data/postgres"), "the embedded database is on the volume");
                stop(second);
            }
        }
    }

    @Test
    void externalModeRunsOnTheMachinesDatabaseAndBroker() throws Exception {
        String database = System.getenv("HERALD_IT_DB_URL");
        Assumptions.assumeTrue(database != null, "no external PostgreSQL and broker (HERALD_IT_* unset)");
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_DB_URL", database);
        env.put("HERALD_BROKER_HOST", System.getenv("HERALD_IT_BROKER_HOST"));
        env.put("HERALD_BROKER_PORT", System.getenv("HERALD_IT_BROKER_PORT"));
        env.put("HERALD_BROKER_FLAVOUR", System.getenv("HERALD_IT_BROKER_FLAVOUR"));
        env.put("HERALD_BROKER_USER", System.getenv("HERALD_IT_BROKER_USER"));
        env.put("HERALD_BROKER_PASSWORD", System.getenv("HERALD_IT_BROKER_PASSWORD"));
        String virtualHost = System.getenv("HERALD_IT_BROKER_VIRTUAL_HOST");
        if (virtualHost != null) {
            env.put("HERALD_BROKER_VIRTUAL_HOST", virtualHost);
        }
        try (WebhookReceiver receiver = new WebhookReceiver();
                HeraldProcess herald = run("image-external", env, Files.createDirectories(temp.resolve("x")))) {
            publishToAWebhook(herald, receiver, "image.external." + System.nanoTime());
            stop(herald);
        }
    }

    private Map<String, String> embedded() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_BROKER_EMBEDDED_PORT", Integer.toString(HeraldProcess.freePort()));
        return env;
    }

    /** The image's own command, with the test's settings, the port it listens on, and {@code volume} as /data. */
    private HeraldProcess run(String name, Map<String, String> settings, Path volume) throws Exception {
        int port = HeraldProcess.freePort();
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("HERALD_API_KEY", HeraldApi.ADMIN_KEY);
        env.put("HERALD_DELIVERY_ALLOWED_HOSTS", "127.0.0.1");
        long started = System.nanoTime();
        HeraldProcess herald = HeraldProcess.launch(name, image.command(env, Map.of("/data", volume)), Map.of(), port)
                .awaitReady();
        System.out.printf("[image] %s ready %.1f s after start%n", name, (System.nanoTime() - started) / 1e9);
        return herald;
    }

    /** SIGTERM to the image's process (bubblewrap does not pass signals on), which exits by itself. */
    private static void stop(HeraldProcess herald) throws Exception {
        ProcessHandle entrypoint = herald.process().children().findFirst().orElseThrow();
        entrypoint.destroy();
        assertTrue(herald.process().waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
    }

    /** Creates a topic and a webhook subscription, publishes one event, waits for the webhook; the event's path. */
    private String publishToAWebhook(HeraldProcess herald, WebhookReceiver receiver, String topic) throws Exception {
        herald.post("/topics", "{\"name\": \"" + topic + "\"}");
        herald.post(
                "/subscriptions",
                "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", \"webhook\": {\"url\": \""
                        + receiver.url("/" + topic) + "\"}}");
        HttpResponse<String> published = herald.post("/topics/" + topic + "/events", "{\"order\": 42}");
        assertEquals(202, published.statusCode());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !receiver.requests("/" + topic).isEmpty());
        assertTrue(receiver.requests("/" + topic).get(0).bodyText().contains("42"));
        return URI.create(published.headers().firstValue("Location").orElseThrow())
                .getPath();
    }
}
