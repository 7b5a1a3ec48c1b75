package io.herald.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldProcess;
import io.herald.testing.SharedParts;
import io.herald.testing.WebhookReceiver;
import io.herald.testing.WebhookReceiver.Answer;
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

    @TempDir
    Path temp;

    @Test
    void killedInstanceMidDeliveryLosesNothing() throws Exception {
        try (SharedParts parts = SharedParts.start(temp);
                WebhookReceiver receiver = new WebhookReceiver()) {
            String subscription;
            int inFlightAtDeath;
            try (HeraldProcess first = HeraldProcess.start("crash-first", parts.settings("first"))) {
                String topic = "crash.test";
                first.post("/topics", "{\"name\": \"" + topic + "\"}");
                receiver.always("/crash", new Answer(200, null, 3000)); // slow: requests are in flight when it dies
                subscription = id(first.post(
                                "/subscriptions",
                                "{\"topic\": \"" + topic + "\", \"kind\": \"webhook\", " + "\"webhook\": {\"url\": \""
                                        + receiver.url("/crash") + "\", \"timeout\": \"PT10S\"}}")
                        .body());
                Thread.sleep(1500);
                for (int i = 0; i < EVENTS; i++) {
                    first.post("/topics/" + topic + "/events", "{\"n\": " + i + "}");
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.requests("/crash").size() >= 5);

                first.kill();
                inFlightAtDeath = receiver.requests("/crash").size();
                receiver.always("/crash", Answer.status(200));
            }

            try (HeraldProcess second = HeraldProcess.start("crash-second", parts.settings("second"))) {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            Set<String> ids = new HashSet<>();
                            receiver.requests("/crash").forEach(r -> ids.add(r.header("webhook-id")));
                            assertEquals(EVENTS, ids.size(), "every accepted event reached the receiver");
                            String delivered = second.get("/api/v1/subscriptions/" + subscription
                                            + "/deliveries?state=delivered&limit=500")
                                    .body();
                            assertEquals(
                                    EVENTS,
                                    count(delivered, "\"state\":\"delivered\""),
                                    "every delivery is recorded as delivered");
                        });
            }
            System.out.printf(
                    "[crash] %d requests were in flight when the first instance was killed; the second delivered "
                            + "all %d events (%d requests in all)%n",
                    inFlightAtDeath, EVENTS, receiver.requests("/crash").size());
            assertTrue(inFlightAtDeath < EVENTS, "the first instance died before finishing");
        }
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
