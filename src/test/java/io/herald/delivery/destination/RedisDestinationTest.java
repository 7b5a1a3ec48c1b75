package io.herald.delivery.destination;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.RedisSettings;
import io.herald.client.model.SubscriptionIn;
import io.herald.testing.EngineServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A subscription delivered to a Redis stream, read back with Redis's own client (redis-cli) from a server of its own. */
@QuarkusTest
class RedisDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EngineServer redis;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = EngineServer.redis(16379);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void eventsAreAppendedInOrderWithTheirAttributesAndDataTrimmedToTheCap() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "redis");
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.REDIS)
                .redis(new RedisSettings()
                        .stream("herald:{topic}").maxLen(1000L).maxInFlight(1)));

        List<Destinations.Sent> sent = fixture.publish(40, "order.placed", "{\"n\":%d,\"text\":\"caf\u00e9\"}");
        fixture.awaitStates(DeliveryState.DELIVERED, 40);

        List<Map<String, String>> entries = entries("herald:" + fixture.topic());
        assertEquals(40, entries.size());
        for (int i = 0; i < sent.size(); i++) {
            Map<String, String> entry = entries.get(i);
            assertEquals(sent.get(i).ceId(), entry.get("id"), "acceptance order: " + i);
            assertEquals("1.0", entry.get("specversion"));
            assertEquals("order.placed", entry.get("type"));
            assertEquals("/tests/destinations", entry.get("source"));
            assertEquals("customer-7", entry.get("subject"));
            assertEquals("eu west", entry.get("region"));
            assertEquals("application/json", entry.get("datacontenttype"));
            assertEquals(sent.get(i).data(), entry.get("data"), "data bytes");
        }
        Attempt attempt = fixture.attempts(sent.get(0)).get(0);
        assertTrue(attempt.getResponseExcerpt().matches("entry \\d+-\\d+"), attempt.getResponseExcerpt());
    }

    @Test
    void aServerThatIsDownIsRetriedUntilItIsBack() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "redis");
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.REDIS)
                .redis(new RedisSettings()
                        .stream("outage:{topic}").retrySchedule(List.of("PT0S", "PT2S", "PT4S", "PT8S", "PT15S"))));
        redis.stop();
        try {
            // Two events of five attempts at most: the test profile disables a subscription after 10 failures in a row,
            // and an engine just started may still refuse a few (JetStream recovering its streams, say).
            List<Destinations.Sent> sent = fixture.publish(2, "order.paid", "{\"n\": %d}");
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.count(DeliveryState.RETRYING) == 2);
            Attempt failed = fixture.attempts(sent.get(0)).get(0);
            assertEquals(Attempt.OutcomeEnum.FAILED, failed.getOutcome());
            System.out.printf("[redis] while down: %s%n", failed.getError());
        } finally {
            redis.start();
        }
        fixture.awaitStates(DeliveryState.DELIVERED, 2);
        assertEquals(2, entries("outage:" + fixture.topic()).size(), "each event appended once");
    }

    @Test
    void aKeyOfAnotherTypeIsAPermanentFailureAndDeadLettered() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "redis");
        cli("SET", "taken:" + fixture.topic(), "a string, not a stream");
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.REDIS)
                .redis(new RedisSettings().stream("taken:{topic}")));
        List<Destinations.Sent> sent = fixture.publish(1, "order.placed", "{\"n\": %d}");
        fixture.awaitStates(DeliveryState.EXHAUSTED, 1);
        List<Attempt> attempts = fixture.attempts(sent.get(0));
        assertEquals(1, attempts.size(), "a permanent failure is not retried: " + attempts);
        assertTrue(
                attempts.get(0).getError().contains("WRONGTYPE"),
                attempts.get(0).getError());
        fixture.awaitExhaustedNotice(sent.get(0));
    }

    /** The stream's entries in order, each its fields, read with redis-cli's JSON output. */
    private static List<Map<String, String>> entries(String stream) throws Exception {
        JsonNode read = JSON.readTree(cli("XRANGE", stream, "-", "+"));
        List<Map<String, String>> entries = new ArrayList<>();
        for (JsonNode entry : read) {
            JsonNode fields = entry.get(1);
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                map.put(fields.get(i).asText(), fields.get(i + 1).asText());
            }
            entries.add(map);
        }
        return entries;
    }

    private static String cli(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port()), "--json"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0, output);
        return output;
    }
}
