package io.herald.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.broker.embedded.EmbeddedArtemis;
import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.EmbeddedDatabase;
import io.herald.testing.HeraldApi;
import io.herald.testing.HeraldProcess;
import io.herald.testing.WebhookReceiver;
import io.herald.testing.WebhookReceiver.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 2 under a crash: a Herald process is killed (SIGKILL) while its webhook requests are in flight; a second
 * process on the same database and broker delivers every accepted event, none lost. Runs the packaged application
 * (failsafe, after {@code package}), against a PostgreSQL and an Artemis that outlive both processes.
 */
class DeliveryCrashIT {
    private static final int EVENTS = 20;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void killedInstanceMidDeliveryLosesNothing() throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("shared").toString());
        int brokerPort = HeraldProcess.freePort();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data);
                WebhookReceiver receiver = new WebhookReceiver()) {
            EmbeddedArtemis broker =
                    EmbeddedArtemis.start(data.part("artemis"), "127.0.0.1", brokerPort, 20, 8 * 1024 * 1024);
            HeraldProcess first = null;
            HeraldProcess second = null;
            try {
                first = launch("first", database.jdbcUrl(), brokerPort);
                String api = first.api();
                String topic = "crash.test";
                post(api + "/topics", "{\"name\": \"" + topic + "\"}");
                receiver.always("/crash", new Answer(200, null, 3000)); // slow: requests are in flight when it dies
                String subscription = id(post(
                        api + "/subscriptions",
                        "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", " + "\"webhook\": {\"url\": \""
                                + receiver.url("/crash") + "\", \"timeout\": \"PT10S\"}}"));
                Thread.sleep(1500);
                for (int i = 0; i < EVENTS; i++) {
                    post(api + "/topics/" + topic + "/events", "{\"n\": " + i + "}");
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.requests("/crash").size() >= 5);

                first.kill();
                int inFlightAtDeath = receiver.requests("/crash").size();
                receiver.always("/crash", Answer.status(200));

                second = launch("second", database.jdbcUrl(), brokerPort);
                String secondApi = second.api();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            Set<String> ids = new HashSet<>();
                            receiver.requests("/crash").forEach(r -> ids.add(r.header("webhook-id")));
                            assertEquals(EVENTS, ids.size(), "every accepted event reached the receiver");
                            String delivered = get(secondApi + "/subscriptions/" + subscription
                                    + "/deliveries?state=delivered&limit=500");
                            assertEquals(
                                    EVENTS,
                                    count(delivered, "\"state\":\"delivered\""),
                                    "every delivery is recorded as delivered");
                        });
                System.out.printf(
                        "[crash] %d requests were in flight when the first instance was killed; the second delivered "
                                + "all %d events (%d requests in all)%n",
                        inFlightAtDeath, EVENTS, receiver.requests("/crash").size());
                assertTrue(inFlightAtDeath < EVENTS, "the first instance died before finishing");
            } finally {
                if (first != null) {
                    first.close();
                }
                if (second != null) {
                    second.close();
                }
                broker.stop();
            }
        }
    }

    private HeraldProcess launch(String name, String jdbcUrl, int brokerPort) throws Exception {
        return HeraldProcess.start(name, HeraldProcess.externalMode(jdbcUrl, brokerPort, temp.resolve(name)));
    }

    private String post(String url, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("X-API-Key", HeraldApi.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, url + " answered " + response.statusCode() + ": " + response.body());
        return response.body();
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("X-API-Key", HeraldApi.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String id(String json) {
        Matcher matcher = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(json);
        assertTrue(matcher.find(), json);
        return matcher.group(1);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
