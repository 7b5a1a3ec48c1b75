package io.herald.routing;

import static io.herald.testing.HeraldApi.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.broker.BrokerConfig;
import io.herald.client.ApiException;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.DeliveryOut;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.Problem;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.SubscriptionPatch;
import io.herald.client.model.TopicIn;
import io.herald.client.model.WebhookIn;
import io.herald.flow.StageLag;
import io.herald.platform.PlatformConfig;
import io.herald.store.NewEvent;
import io.herald.testing.HeraldApi;
import io.herald.testing.JmsQueueReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Subscriptions, patterns and filters, and the relay into each subscription's queue, read by a plain AMQP client. */
@QuarkusTest
@Tag("external")
class RoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    BrokerConfig broker;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    BrokerClient brokerClient;

    @Inject
    RelayConfig relayConfig;

    @Inject
    PlatformConfig platform;

    SubscriptionsApi subscriptions;
    EventsApi events;
    String prefix;

    @BeforeEach
    void clients() {
        subscriptions = new SubscriptionsApi(HeraldApi.client(base));
        events = new EventsApi(HeraldApi.client(base));
        prefix = "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String topic(String name) throws ApiException {
        String topic = prefix + "." + name;
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
        return topic;
    }

    private SubscriptionOut queueSubscription(String topic, String filter) throws Exception {
        return subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.QUEUE)
                .filter(filter == null ? null : JSON.readValue(filter, Map.class)));
    }

    private void setState(SubscriptionOut subscription, SubscriptionPatch.StateEnum state) throws ApiException {
        subscriptions.updateSubscription(subscription.getId(), new SubscriptionPatch().state(state));
    }

    /**
     * An operator's change writes only the settings: the failure count and the disabled state the delivery ledger keeps
     * survive a rename, and re-enabling clears them.
     */
    @Test
    void renamingKeepsTheLedgersHealthAndReEnablingClearsIt() throws Exception {
        SubscriptionOut subscription = queueSubscription(topic("health"), null);
        // What DeliveryLedger writes when an endpoint has failed for too long.
        try (var connection = dataSource.getConnection();
                var disable = connection.prepareStatement("update subscriptions set "
                        + "consecutive_failures = 7, failing_since = now(), state = 'DISABLED', disabled_reason = 'failing since yesterday', "
                        + "version = version + 1 where id = ?")) {
            disable.setString(1, subscription.getId());
            disable.executeUpdate();
        }

        SubscriptionOut renamed =
                subscriptions.updateSubscription(subscription.getId(), new SubscriptionPatch().name("billing"));
        assertEquals("billing", renamed.getName());
        assertEquals(SubscriptionOut.StateEnum.DISABLED, renamed.getState());
        assertEquals("failing since yesterday", renamed.getDisabledReason());
        assertEquals(7, consecutiveFailures(subscription.getId()));

        setState(subscription, SubscriptionPatch.StateEnum.ACTIVE);
        SubscriptionOut enabled = subscriptions.getSubscription(subscription.getId());
        assertEquals(SubscriptionOut.StateEnum.ACTIVE, enabled.getState());
        assertEquals("billing", enabled.getName());
        assertNull(enabled.getDisabledReason());
        assertEquals(0, consecutiveFailures(subscription.getId()));
    }

    private int consecutiveFailures(String subscriptionId) throws Exception {
        try (var connection = dataSource.getConnection();
                var read = connection.prepareStatement("select consecutive_failures from subscriptions where id = ?")) {
            read.setString(1, subscriptionId);
            try (var row = read.executeQuery()) {
                assertTrue(row.next());
                return row.getInt(1);
            }
        }
    }

    private String publish(String topic, String body, String type) {
        return given().contentType("application/json")
                .header("Herald-Event-Type", type)
                .body(body)
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    @Test
    void oneEventThreeSubscriptionsTwoMatch() throws Exception {
        String topic = topic("order.placed");
        SubscriptionOut bigOrders = queueSubscription(topic, "{\"data\": {\"amount\": [{\"numeric\": [\">\", 100]}]}}");
        SubscriptionOut dutch = queueSubscription(
                prefix + ".order.*",
                "{\"type\": [{\"prefix\": \"order.\"}], \"data\": {\"country\": [\"NL\", \"BE\"]}}");
        SubscriptionOut refunds = queueSubscription(topic, "{\"type\": [\"order.refunded\"]}");

        String id = publish(topic, "{\"orderId\": \"o-1\", \"amount\": 250, \"country\": \"NL\"}", "order.placed");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<DeliveryOut> deliveries = events.getEvent(id).getDeliveries();
            assertEquals(
                    Set.of(bigOrders.getId(), dutch.getId()),
                    deliveries.stream().map(DeliveryOut::getSubscriptionId).collect(Collectors.toSet()));
            assertTrue(deliveries.stream().allMatch(d -> d.getState() == DeliveryState.QUEUED), deliveries.toString());
        });
        for (SubscriptionOut matching : List.of(bigOrders, dutch)) {
            List<JmsQueueReader.Received> read =
                    JmsQueueReader.read(broker, matching.getQueue().getAddress(), 1, Duration.ofSeconds(10));
            assertEquals(1, read.size(), "one message in " + matching.getQueue().getAddress());
            JmsQueueReader.Received message = read.get(0);
            assertEquals(
                    Map.of("orderId", "o-1", "amount", 250, "country", "NL"),
                    JSON.readValue(message.body(), Map.class));
            assertEquals("1.0", message.properties().get("cloudEvents_specversion"));
            assertEquals("order.placed", message.properties().get("cloudEvents_type"));
            assertEquals(
                    id,
                    message.properties().get("cloudEvents_id"),
                    "the producer gave no id: Herald's id is the CloudEvents id");
            assertEquals(id, message.properties().get("herald_event_id"));
            assertEquals(topic, message.properties().get("herald_topic"));
        }
        assertEquals(
                0,
                JmsQueueReader.read(broker, refunds.getQueue().getAddress(), 1, Duration.ofSeconds(1))
                        .size());
    }

    @Test
    void topicPatterns() throws Exception {
        String placed = topic("order.placed");
        String placedEu = topic("order.placed.eu");
        SubscriptionOut oneSegment = queueSubscription(prefix + ".order.*", null);
        SubscriptionOut anyDepth = queueSubscription(prefix + ".order.**", null);

        String first = publish(placed, "{}", "t");
        String second = publish(placedEu, "{}", "t");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(Set.of(oneSegment.getId(), anyDepth.getId()), subscribers(first));
            assertEquals(Set.of(anyDepth.getId()), subscribers(second));
        });
    }

    private Set<String> subscribers(String eventId) throws ApiException {
        return events.getEvent(eventId).getDeliveries().stream()
                .map(DeliveryOut::getSubscriptionId)
                .collect(Collectors.toSet());
    }

    @Test
    void pausedSubscriptionKeepsItsDeliveriesUntilResumed() throws Exception {
        String topic = topic("invoice.paid");
        SubscriptionOut subscription = queueSubscription(topic, null);
        setState(subscription, SubscriptionPatch.StateEnum.PAUSED);
        String id = publish(topic, "{\"n\": 1}", "t");
        Thread.sleep(1500); // several relay rounds
        assertEquals(
                DeliveryState.PENDING,
                events.getEvent(id).getDeliveries().get(0).getState());

        setState(subscription, SubscriptionPatch.StateEnum.ACTIVE);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        DeliveryState.QUEUED,
                        events.getEvent(id).getDeliveries().get(0).getState()));
        assertEquals(
                1,
                JmsQueueReader.read(broker, subscription.getQueue().getAddress(), 1, Duration.ofSeconds(10))
                        .size());
    }

    /** An event of a paused queue subscription: its delivery waits in the outbox, unleased. */
    private record Outboxed(SubscriptionOut subscription, String topic, String eventId, String deliveryId) {}

    private Outboxed outboxed(String name) throws Exception {
        String topic = topic(name);
        SubscriptionOut subscription = queueSubscription(topic, null);
        setState(subscription, SubscriptionPatch.StateEnum.PAUSED);
        String id = publish(topic, "{\"n\": 1}", "t");
        return new Outboxed(
                subscription,
                topic,
                id,
                events.getEvent(id).getDeliveries().get(0).getId());
    }

    private void assertQueuedOnce(Outboxed outboxed, Duration within) throws Exception {
        await().atMost(within)
                .untilAsserted(() -> assertEquals(
                        DeliveryState.QUEUED,
                        events.getEvent(outboxed.eventId())
                                .getDeliveries()
                                .get(0)
                                .getState()));
        assertEquals(
                1,
                JmsQueueReader.read(broker, outboxed.subscription().getQueue().getAddress(), 2, Duration.ofSeconds(2))
                        .size());
    }

    /**
     * A delivery leased to the instance that committed it (which sends it from memory) is not sent by any relay's
     * outbox poll while the lease lasts, and is sent once the lease has expired, as when that instance died.
     */
    @Test
    void aDeliveryLeasedToAnotherInstanceIsSentOnlyOnceItsLeaseExpires() throws Exception {
        Outboxed leased = outboxed("leased");
        execute(
                "update deliveries set relay_lease_until = now() + interval '1 hour' where id = ?",
                leased.deliveryId());
        setState(leased.subscription(), SubscriptionPatch.StateEnum.ACTIVE);
        Thread.sleep(1500); // several outbox polls
        assertEquals(
                DeliveryState.PENDING,
                events.getEvent(leased.eventId()).getDeliveries().get(0).getState());
        assertEquals(
                0,
                JmsQueueReader.read(broker, leased.subscription().getQueue().getAddress(), 1, Duration.ofMillis(500))
                        .size());

        execute(
                "update deliveries set relay_lease_until = now() - interval '1 second' where id = ?",
                leased.deliveryId());
        assertQueuedOnce(leased, Duration.ofSeconds(20));
    }

    /**
     * An instance that shuts down gives back the leases of the hand-offs it has not sent, so another instance sends
     * them at once rather than when the leases run out. The other instance here is a second relay, never started.
     */
    @Test
    void aStoppingInstanceGivesBackTheLeasesOfWhatItHasNotSent() throws Exception {
        Outboxed handed = outboxed("handed");
        execute(
                "update deliveries set relay_lease_until = now() + interval '1 hour' where id = ?",
                handed.deliveryId());
        OutboxRelay stopping = new OutboxRelay(
                dataSource,
                brokerClient,
                relayConfig,
                new SimpleMeterRegistry(),
                new StageLag(new SimpleMeterRegistry()),
                platform);
        Instant now = Instant.now();
        NewEvent event = new NewEvent(
                handed.eventId(),
                handed.topic(),
                handed.eventId(),
                "test",
                "t",
                null,
                null,
                "application/json",
                "{\"n\": 1}",
                null,
                null,
                null,
                "");
        String queue = Subscription.queueFor(handed.subscription().getId());
        stopping.handOff(List.of(new HandOff(handed.deliveryId(), queue, event, now, now.plusSeconds(3600))));
        setState(handed.subscription(), SubscriptionPatch.StateEnum.ACTIVE);

        stopping.stop(null);
        assertQueuedOnce(handed, Duration.ofSeconds(10));
    }

    /**
     * A handed-off delivery is marked QUEUED after the broker settles it, without a row lock held in between, so its
     * webhook may answer first. An outcome recorded before the mark stands, and the relay never waits for one being
     * recorded (the ledger locks its rows as it goes; waiting on each other would deadlock).
     */
    @Test
    void aHandOffNeitherOverwritesNorWaitsForAnOutcome() throws Exception {
        String topic = topic("raced");
        SubscriptionOut subscription = queueSubscription(topic, null);
        setState(subscription, SubscriptionPatch.StateEnum.PAUSED);
        List<String> ids = List.of(
                publish(topic, "{\"n\": 1}", "t"),
                publish(topic, "{\"n\": 2}", "t"),
                publish(topic, "{\"n\": 3}", "t"));
        List<String> deliveries = ids.stream()
                .map(id -> {
                    try {
                        return events.getEvent(id).getDeliveries().get(0).getId();
                    } catch (ApiException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        execute(
                "update deliveries set state = 'DELIVERED', finished_at = now() where id = ?",
                deliveries.get(0)); // recorded
        String queue = Subscription.queueFor(subscription.getId());
        Instant now = Instant.now();
        List<HandOff> handOffs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String data = "{\"n\": " + (i + 1) + "}";
            NewEvent event = new NewEvent(
                    ids.get(i),
                    topic,
                    ids.get(i),
                    "test",
                    "t",
                    null,
                    null,
                    "application/json",
                    data,
                    null,
                    null,
                    null,
                    "");
            handOffs.add(new HandOff(deliveries.get(i), queue, event, now, now.plusSeconds(60)));
        }
        try (var recording = dataSource.getConnection()) {
            recording.setAutoCommit(false);
            try (var update = recording.prepareStatement(
                    "update deliveries set state = 'DELIVERED', finished_at = now() where id = ?")) {
                update.setString(1, deliveries.get(1)); // being recorded: locked until the commit below
                update.executeUpdate();
            }
            relay.handOff(handOffs);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertEquals(
                            DeliveryState.QUEUED,
                            events.getEvent(ids.get(2)).getDeliveries().get(0).getState()));
            recording.commit();
        }
        assertEquals(
                DeliveryState.DELIVERED,
                events.getEvent(ids.get(0)).getDeliveries().get(0).getState());
        assertEquals(
                DeliveryState.DELIVERED,
                events.getEvent(ids.get(1)).getDeliveries().get(0).getState());
        assertEquals(
                3,
                JmsQueueReader.read(broker, subscription.getQueue().getAddress(), 4, Duration.ofSeconds(2))
                        .size(),
                "all three were sent");
    }

    private void execute(String sql, String parameter) throws Exception {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            assertEquals(1, statement.executeUpdate());
        }
    }

    @Test
    void deliveryWhoseSubscriptionIsGoneIsDiscardedAndTheRelayGoesOn() throws Exception {
        String topic = topic("orphaned");
        SubscriptionOut gone = queueSubscription(topic, null);
        setState(gone, SubscriptionPatch.StateEnum.PAUSED);
        String orphaned = publish(topic, "{\"n\": 1}", "t");
        // As if an event had been routed by a transaction that read the subscription just before it was deleted.
        try (var connection = dataSource.getConnection();
                var delete = connection.prepareStatement("delete from subscriptions where id = ?")) {
            delete.setString(1, gone.getId());
            delete.executeUpdate();
        }
        String otherTopic = topic("alive");
        SubscriptionOut alive = queueSubscription(otherTopic, null);
        String delivered = publish(otherTopic, "{\"n\": 2}", "t");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        DeliveryState.DISCARDED,
                        events.getEvent(orphaned).getDeliveries().get(0).getState()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        DeliveryState.QUEUED,
                        events.getEvent(delivered).getDeliveries().get(0).getState()));
        assertEquals(
                1,
                JmsQueueReader.read(broker, alive.getQueue().getAddress(), 1, Duration.ofSeconds(10))
                        .size());
    }

    @Test
    void deletingASubscriptionWithMessagesNeedsForce() throws Exception {
        String topic = topic("doomed");
        SubscriptionOut subscription = queueSubscription(topic, null);
        String id = publish(topic, "{}", "t");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertEquals(
                        DeliveryState.QUEUED,
                        events.getEvent(id).getDeliveries().get(0).getState()));

        Problem refused = assertProblem(
                409, "urn:herald:problem:conflict", () -> subscriptions.deleteSubscription(subscription.getId(), null));
        assertTrue(refused.getDetail().contains("1 message(s) in its queue"), refused.getDetail());
        subscriptions.deleteSubscription(subscription.getId(), true);
        assertProblem(404, "urn:herald:problem:not-found", () -> subscriptions.getSubscription(subscription.getId()));
    }

    /**
     * A deletion the broker finished after Herald stopped waiting for it (a timeout over a large backlog) left the
     * subscription paused without its queue: deleting it again finishes the job.
     */
    @Test
    void subscriptionWhoseQueueIsAlreadyGoneIsDeleted() throws Exception {
        SubscriptionOut subscription = queueSubscription(topic("half"), null);
        String queue = Subscription.queueFor(subscription.getId());
        brokerClient
                .delete(queue)
                .toCompletionStage()
                .toCompletableFuture()
                .get(20, java.util.concurrent.TimeUnit.SECONDS);

        subscriptions.deleteSubscription(subscription.getId(), null);
        assertProblem(404, "urn:herald:problem:not-found", () -> subscriptions.getSubscription(subscription.getId()));
        assertTrue(brokerClient
                .inspect(queue)
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .isEmpty());
    }

    @Test
    void drainedSubscriptionIsDeletedWithoutForce() throws Exception {
        SubscriptionOut subscription = queueSubscription(topic("quiet"), null);
        subscriptions.deleteSubscription(subscription.getId(), null);
        assertProblem(404, "urn:herald:problem:not-found", () -> subscriptions.getSubscription(subscription.getId()));
    }

    @Test
    void webhookSubscriptionGetsASecret() throws Exception {
        SubscriptionOut created = subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic("hooked"))
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(java.net.URI.create("http://127.0.0.1:9/hook"))
                        .headers(Map.of("X-Team", "billing"))));
        assertNotNull(created.getWebhook().getSecret());
        assertTrue(created.getWebhook().getSecret().startsWith("whsec_"));
        assertEquals("PT15S", created.getWebhook().getTimeout());
        assertEquals(
                null,
                subscriptions.getSubscription(created.getId()).getWebhook().getSecret(),
                "shown once, then only on /secret");
        assertEquals(
                created.getWebhook().getSecret(),
                subscriptions.getSubscriptionSecret(created.getId()).getSecret());
    }

    @Test
    void invalidSubscriptionsAreRefusedWithPointers() throws Exception {
        Problem problem = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.createSubscription(new SubscriptionIn()
                        .topic("Order.*")
                        .kind(SubscriptionIn.KindEnum.WEBHOOK)
                        .filter(JSON.readValue(
                                "{\"data\": {\"amount\": [{\"numeric\": [\">>\", \"x\"]}]}, \"colour\": [\"red\"]}",
                                Map.class))
                        .webhook(new WebhookIn()
                                .url(java.net.URI.create("ftp://files"))
                                .timeout("PT5M")
                                .headers(Map.of("Webhook-Signature", "forged")))));
        assertEquals(
                Set.of(
                        "/topic",
                        "/filter/data/amount/0/numeric/0",
                        "/filter/data/amount/0/numeric/1",
                        "/filter/colour",
                        "/webhook/url",
                        "/webhook/timeout",
                        "/webhook/headers/Webhook-Signature"),
                problem.getErrors().stream().map(e -> e.getPointer()).collect(Collectors.toSet()));
        assertEquals(
                0,
                subscriptions.listSubscriptions(null, 200).getItems().stream()
                        .filter(s -> s.getTopic().equals("Order.*"))
                        .count(),
                "nothing was created");
    }
}
