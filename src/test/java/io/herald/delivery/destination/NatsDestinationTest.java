package io.herald.delivery.destination;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.NatsSettings;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.testing.EngineServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A subscription delivered to NATS JetStream, read back with NATS's own Java client from a nats-server of its own. */
@QuarkusTest
class NatsDestinationTest {
    private static EngineServer nats;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startNats() throws Exception {
        nats = EngineServer.nats(14222);
    }

    @AfterAll
    static void stopNats() throws Exception {
        nats.close();
    }

    @Test
    void eventsArriveInOrderWithTheirAttributesAndBodyAndAreAcknowledgedOnce() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "nats");
        try (Connection client = connect()) {
            stream(client, "HERALD_ORDER", "order." + fixture.suffix() + ".>", -1);
            SubscriptionOut subscription = fixture.subscribe(new SubscriptionIn()
                    .kind(SubscriptionIn.KindEnum.NATS)
                    .nats(new NatsSettings()
                            .subject("order." + fixture.suffix() + ".{type}")
                            .maxInFlight(1)));
            assertEquals("default", subscription.getNats().getConnection(), "the default connection is shown");

            List<Destinations.Sent> sent =
                    fixture.publish(40, "order.placed", "{\"n\":%d,\"text\":\"caf\u00e9 50%%\"}");
            List<Message> read = read(client, "HERALD_ORDER", "order." + fixture.suffix() + ".order.placed", 40);

            assertEquals(40, read.size());
            for (int i = 0; i < sent.size(); i++) {
                Message message = read.get(i);
                Destinations.Sent event = sent.get(i);
                assertEquals(event.ceId(), message.getHeaders().getFirst("ce-id"), "acceptance order: " + i);
                assertEquals("1.0", message.getHeaders().getFirst("ce-specversion"));
                assertEquals("order.placed", message.getHeaders().getFirst("ce-type"));
                assertEquals("/tests/destinations", message.getHeaders().getFirst("ce-source"));
                assertEquals("application/json", message.getHeaders().getFirst("ce-datacontenttype"));
                assertEquals("customer-7", message.getHeaders().getFirst("ce-subject"));
                assertEquals("eu%20west", message.getHeaders().getFirst("ce-region"), "values percent-encoded");
                assertEquals(event.heraldId(), message.getHeaders().getFirst("herald-event-id"));
                assertEquals(
                        event.heraldId() + ":" + subscription.getId(),
                        message.getHeaders().getFirst("Nats-Msg-Id"),
                        "de-duplicated per event and subscription");
                assertEquals(event.data(), new String(message.getData(), StandardCharsets.UTF_8), "body bytes");
            }
            fixture.awaitStates(DeliveryState.DELIVERED, 40);
            Attempt attempt = fixture.attempts(sent.get(0)).get(0);
            assertTrue(attempt.getResponseExcerpt().startsWith("stream HERALD_ORDER sequence "), attempt.toString());
        }
    }

    @Test
    void anEngineThatIsDownIsRetriedUntilItIsBackAndNothingIsLostOrDoubled() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "nats");
        try (Connection client = connect()) {
            stream(client, "HERALD_OUTAGE", "outage." + fixture.suffix() + ".>", -1);
        }
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.NATS)
                .nats(new NatsSettings()
                        .subject("outage." + fixture.suffix() + ".{type}")
                        .retrySchedule(List.of("PT0S", "PT2S", "PT4S", "PT8S", "PT15S"))));
        List<Destinations.Sent> sent;
        nats.stop();
        try {
            // Two events of five attempts at most: the test profile disables a subscription after 10 failures in a row,
            // and an engine just started may still refuse a few (JetStream recovering its streams, say).
            sent = fixture.publish(2, "order.paid", "{\"n\": %d}");
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.count(DeliveryState.RETRYING) == 2);
            Attempt failed = fixture.attempts(sent.get(0)).get(0);
            assertEquals(Attempt.OutcomeEnum.FAILED, failed.getOutcome());
            System.out.printf("[nats] while down: %s%n", failed.getError());
        } finally {
            nats.start();
        }
        try {
            fixture.awaitStates(DeliveryState.DELIVERED, 2);
        } catch (org.awaitility.core.ConditionTimeoutException stuck) {
            throw new AssertionError(
                    "not delivered after NATS came back; attempts: " + fixture.attempts(sent.get(0)), stuck);
        }
        try (Connection client = connect()) {
            assertEquals(
                    2,
                    read(client, "HERALD_OUTAGE", "outage." + fixture.suffix() + ".>", 3)
                            .size(),
                    "each event stored once");
        }
    }

    @Test
    void twoSubscriptionsPublishingOneEventIntoOneStreamBothLand() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "nats");
        try (Connection client = connect()) {
            stream(client, "HERALD_SHARED", "shared." + fixture.suffix() + ".>", -1);
            fixture.subscribe(new SubscriptionIn()
                    .kind(SubscriptionIn.KindEnum.NATS)
                    .nats(new NatsSettings().subject("shared." + fixture.suffix() + ".orders.{type}")));
            fixture.subscribe(new SubscriptionIn()
                    .kind(SubscriptionIn.KindEnum.NATS)
                    .nats(new NatsSettings().subject("shared." + fixture.suffix() + ".audit.{type}")));
            Destinations.Sent sent =
                    fixture.publish(1, "order.placed", "{\"n\":%d}").get(0);
            List<Message> read = read(client, "HERALD_SHARED", "shared." + fixture.suffix() + ".>", 3);
            assertEquals(2, read.size(), "one message per subscription, neither dropped as the other's duplicate");
            for (Message message : read) {
                assertEquals(sent.heraldId(), message.getHeaders().getFirst("herald-event-id"));
            }
        }
    }

    @Test
    void aMessageTheStreamRefusesIsDeadLettered() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "nats");
        try (Connection client = connect()) {
            stream(client, "HERALD_SMALL", "small." + fixture.suffix() + ".>", 64);
        }
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.NATS)
                .nats(new NatsSettings().subject("small." + fixture.suffix() + ".{type}")));
        List<Destinations.Sent> sent =
                fixture.publish(1, "order.large", "{\"n\": %d, \"pad\": \"" + "x".repeat(200) + "\"}");
        fixture.awaitStates(DeliveryState.EXHAUSTED, 1);
        List<Attempt> attempts = fixture.attempts(sent.get(0));
        assertEquals(1, attempts.size(), "a permanent failure is not retried: " + attempts);
        assertTrue(
                attempts.get(0).getError().contains("JetStream refused"),
                attempts.get(0).getError());
        fixture.awaitExhaustedNotice(sent.get(0));
    }

    private static Connection connect() throws Exception {
        return Nats.connect("nats://127.0.0.1:" + nats.port());
    }

    private static void stream(Connection client, String name, String subjects, long maxMessageSize) throws Exception {
        JetStreamManagement management = client.jetStreamManagement();
        StreamConfiguration.Builder config =
                StreamConfiguration.builder().name(name).subjects(subjects).storageType(StorageType.File);
        if (maxMessageSize > 0) {
            config.maximumMessageSize((int) maxMessageSize);
        }
        try {
            management.addStream(config.build());
        } catch (io.nats.client.JetStreamApiException exists) {
            management.updateStream(config.build());
        }
    }

    /** Up to {@code expected} messages of the stream on the subject, in stream order (waits for them). */
    private static List<Message> read(Connection client, String stream, String subject, int expected) throws Exception {
        JetStreamSubscription subscription = client.jetStream()
                .subscribe(
                        subject, PullSubscribeOptions.builder().stream(stream).build());
        List<Message> read = new ArrayList<>();
        long deadline =
                System.nanoTime() + Duration.ofSeconds(expected > 20 ? 30 : 10).toNanos();
        while (read.size() < expected && System.nanoTime() < deadline) {
            for (Message message : subscription.fetch(expected - read.size(), Duration.ofMillis(500))) {
                message.ack();
                read.add(message);
            }
        }
        subscription.unsubscribe();
        return read;
    }
}
