package io.herald.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.testing.HeraldProcess;
import io.herald.testing.OrderCheckingReceiver;
import io.herald.testing.SharedParts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordered delivery through a killed instance: two packaged instances share one PostgreSQL and one Artemis and deliver
 * an ordered subscription together; one is killed (SIGKILL) mid-way. Every key's events still arrive in acceptance
 * order, never two different events of a key at once, each accepted at least once (an attempt cut off by the kill is
 * made again, before the key's next event). A retry the dead instance had leased waits for its lease (two minutes).
 */
class OrderedCrashIT {
    private static final int KEYS = 20;
    private static final int PER_KEY = 30;

    @TempDir
    Path temp;

    @Test
    void aKilledInstanceDoesNotBreakTheOrderOfAnyKey() throws Exception {
        try (SharedParts parts = SharedParts.start(temp);
                OrderCheckingReceiver receiver = new OrderCheckingReceiver(0.05, 20);
                HeraldProcess survivor = HeraldProcess.start("ordered-survivor", parts.settings("survivor"))) {
            HeraldProcess victim = HeraldProcess.start("ordered-victim", parts.settings("victim"));
            try {
                victim.post("/topics", "{\"name\": \"ordered.crash\"}");
                victim.post(
                        "/subscriptions",
                        "{\"topic\": \"ordered.crash\", \"kind\": \"webhook\", \"ordered\": true, \"orderingKey\":"
                                + " \"/key\", \"webhook\": {\"url\": \"" + receiver.url() + "\", \"maxInFlight\": 10,"
                                + " \"retrySchedule\": [\"PT0S\", \"PT0.1S\", \"PT0.2S\", \"PT0.5S\", \"PT1S\", \"PT1S\","
                                + " \"PT1S\", \"PT1S\"]}}");
                Thread.sleep(2000); // both instances' lanes attach
                List<String> batch = new ArrayList<>();
                for (int n = 0; n < PER_KEY; n++) {
                    for (int key = 0; key < KEYS; key++) {
                        batch.add("{\"key\": \"k" + key + "\", \"n\": " + n + "}");
                    }
                    if (batch.size() >= 100) {
                        (n % 2 == 0 ? victim : survivor)
                                .post("/topics/ordered.crash/events", "[" + String.join(",", batch) + "]");
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    survivor.post("/topics/ordered.crash/events", "[" + String.join(",", batch) + "]");
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedCount() >= KEYS * PER_KEY / 3);
            } finally {
                victim.kill();
            }
            int atDeath = receiver.acceptedCount();

            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> IntStream.range(0, KEYS)
                            .allMatch(key ->
                                    receiver.acceptedOnceInARow("k" + key).size() == PER_KEY
                                            || !receiver.acceptedOnceInARow("k" + key)
                                                    .equals(prefix("k" + key, receiver))));
            System.out.printf(
                    "[ordered-crash] %d events over %d keys, 5%% refused at random; %d accepted when one of two instances"
                            + " was killed; all delivered in order by the other (%d requests in all)%n",
                    KEYS * PER_KEY, KEYS, atDeath, receiver.requests.get());
            assertEquals(Set.of(), receiver.overlapping, "keys with two different events open at once");
            List<Integer> inOrder = IntStream.range(0, PER_KEY).boxed().toList();
            for (int key = 0; key < KEYS; key++) {
                assertEquals(inOrder, receiver.acceptedOnceInARow("k" + key), "key k" + key);
            }
        }
    }

    /** The first events of the key in order, as many as it accepted: what a correct, unfinished line shows. */
    private static List<Integer> prefix(String key, OrderCheckingReceiver receiver) {
        return IntStream.range(0, receiver.acceptedOnceInARow(key).size())
                .boxed()
                .toList();
    }
}
