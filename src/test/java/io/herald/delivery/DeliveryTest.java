package io.herald.delivery;

import static io.herald.testing.HeraldApi.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.broker.BrokerConfig;
import io.herald.broker.BrokerFlavour;
import io.herald.client.ApiException;
import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryDetail;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.EventOut;
import io.herald.client.model.RedriveIn;
import io.herald.client.model.ReplayIn;
import io.herald.client.model.ReplayOut;
import io.herald.client.model.RetryOut;
import io.herald.client.model.SecretRotation;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.SubscriptionPatch;
import io.herald.client.model.TopicIn;
import io.herald.client.model.WebhookIn;
import io.herald.flow.FlowReport;
import io.herald.testing.HeraldApi;
import io.herald.testing.JmsQueueReader;
import io.herald.testing.StageHistograms;
import io.herald.testing.TestAmqpConsumer;
import io.herald.testing.WebhookReceiver;
import io.herald.testing.WebhookReceiver.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery against a real HTTP receiver that verifies signatures its own way. The test schedule is three
 * attempts: at once, after 0.3 s, after 0.6 s.
 */
@QuarkusTest
@Tag("external")
class DeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    BrokerConfig broker;

    @Inject
    BrokerClient brokerClient;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    FlowReport flow;

    WebhookReceiver receiver;
    SubscriptionsApi subscriptions;
    DeliveriesApi deliveries;
    EventsApi events;
    String topic;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        subscriptions = new SubscriptionsApi(HeraldApi.client(base));
        deliveries = new DeliveriesApi(HeraldApi.client(base));
        events = new EventsApi(HeraldApi.client(base));
        topic = "hook." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private SubscriptionOut webhook(String path, String format) throws ApiException {
        return subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url(path)))
                        .headers(Map.of("X-Team", "billing"))
                        .timeout("PT2S")
                        .format(format == null ? null : WebhookIn.FormatEnum.fromValue(format))));
    }

    private String publish(String data) {
        return given().contentType("application/json")
                .header("Herald-Event-Type", "order.placed")
                .body(data)
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private DeliveryDetail deliveryOf(String eventId) throws ApiException {
        EventOut event = events.getEvent(eventId);
        assertEquals(1, event.getDeliveries().size());
        return deliveries.getDelivery(event.getDeliveries().get(0).getId());
    }

    private DeliveryDetail awaitState(String eventId, DeliveryState state) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(state, deliveryOf(eventId).getState()));
        try {
            return deliveryOf(eventId);
        } catch (ApiException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyDeliveryStateIsOneTheDatabaseAccepts() throws Exception {
        String definition;
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement("select pg_get_constraintdef(oid) from pg_constraint "
                        + "where conrelid = 'deliveries'::regclass and conname = 'deliveries_state_check'");
                var rs = statement.executeQuery()) {
            assertTrue(rs.next(), "the deliveries table has its state check");
            definition = rs.getString(1);
        }
        List<String> accepted = new ArrayList<>();
        java.util.regex.Matcher quoted =
                java.util.regex.Pattern.compile("'([A-Z]+)'").matcher(definition);
        while (quoted.find()) {
            accepted.add(quoted.group(1));
        }
        assertEquals(
                Arrays.stream(io.herald.store.DeliveryState.values())
                        .map(Enum::name)
                        .toList(),
                accepted);
    }

    @Test
    void signedStandardWebhook() throws Exception {
        SubscriptionOut subscription = webhook("/orders", null);
        String id = publish("{\"orderId\": \"o-1\"}");
        DeliveryDetail delivery = awaitState(id, DeliveryState.DELIVERED);

        WebhookReceiver.Request request = receiver.requests("/orders").get(0);
        assertEquals("{\"orderId\": \"o-1\"}", request.bodyText(), "the body is the event data, as sent");
        assertEquals(id, request.header("webhook-id"));
        assertTrue(WebhookReceiver.verifies(request, subscription.getWebhook().getSecret()), "signature verifies");
        assertTrue(request.header("User-Agent").startsWith("Herald/"));
        assertTrue(
                request.header("traceparent").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"),
                request.header("traceparent"));
        assertEquals("billing", request.header("X-Team"));
        assertTrue(request.header("Content-Type").startsWith("application/json"));
        assertEquals(1, delivery.getAttempts());
        Attempt attempt =
                deliveries.listDeliveryAttempts(delivery.getId()).getItems().get(0);
        assertEquals(200, attempt.getStatusCode());
        assertEquals(Attempt.OutcomeEnum.SUCCEEDED, attempt.getOutcome());
        assertTrue(attempt.getResponseExcerpt().contains("received"));
    }

    /**
     * Marking a delivery DELIVERED rewrites its row on the same page and writes no index entry (a HOT update): no index
     * reads the state (V12). With state in three indexes, each such change wrote a new entry into four indexes and left the
     * old ones for vacuum, and none of these updates was HOT (checked: an index on state makes this test fail).
     */
    @Test
    void deliveredDeliveriesAreUpdatedInPlaceWithoutIndexWrites() throws Exception {
        webhook("/in-place", null);
        long before = hotUpdatesOfDeliveries();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(publish("{\"n\": " + i + "}"));
        }
        ids.forEach(id -> awaitState(id, DeliveryState.DELIVERED));
        // PostgreSQL publishes each connection's table statistics within seconds of its last transaction.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertTrue(
                        hotUpdatesOfDeliveries() - before >= ids.size(),
                        "heap-only updates of deliveries since the events were published: "
                                + (hotUpdatesOfDeliveries() - before)));
    }

    /**
     * A webhook subscription's backlog on the dashboard: what it still owes, here three events held in the outbox while
     * it is paused (counted through the outbox index, plus its queue's depth from the broker, which is zero).
     */
    @Test
    void aPausedWebhookSubscriptionsBacklogCountsWhatItStillOwes() throws Exception {
        SubscriptionOut subscription = webhook("/paused", null);
        subscriptions.updateSubscription(
                subscription.getId(), new SubscriptionPatch().state(SubscriptionPatch.StateEnum.PAUSED));
        for (int i = 0; i < 3; i++) {
            publish("{\"n\": " + i + "}");
        }
        FlowReport.SubscriptionHealth health = flow.health().stream()
                .filter(h -> h.id().equals(subscription.getId()))
                .findFirst()
                .orElseThrow();
        assertEquals(3L, health.backlog());
        assertEquals("paused", health.state());
        assertTrue(receiver.requests("/paused").isEmpty());
    }

    private long hotUpdatesOfDeliveries() throws java.sql.SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(
                        "select n_tup_hot_upd from pg_stat_user_tables where relname = 'deliveries'")) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }

    @Test
    void everyStageOfADeliveryIsTimedInTheMetrics() throws Exception {
        webhook("/timed", null);
        StageHistograms before = stages();
        awaitState(publish("{\"orderId\": \"o-timed\"}"), DeliveryState.DELIVERED);
        StageHistograms after = stages();
        for (String stage : List.of("stored", "queued", "received", "sent")) {
            assertTrue(
                    after.count(stage) >= before.count(stage) + 1,
                    "stage " + stage + " counted the delivery: " + before.count(stage) + " -> " + after.count(stage));
        }
    }

    /** The stage histograms as a scraper reads them. */
    private static StageHistograms stages() {
        return StageHistograms.parse(given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /**
     * A subscription deleted while its lane reads its queue: the lane lets go before the queue goes (RabbitMQ 3.x's AMQP
     * 1.0 plugin fails the whole session, and Herald's connection with it, when a queue is deleted under a receiver),
     * so the other subscriptions keep their lanes and Herald keeps its connection.
     */
    @Test
    void deletingAWebhookSubscriptionLeavesTheOthersDelivering() throws Exception {
        SubscriptionOut doomed = webhook("/doomed", null);
        webhook("/kept", null);
        publish("{\"n\": 1}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/doomed").size() == 1
                        && receiver.requests("/kept").size() == 1);
        long connection = brokerClient.generation();

        subscriptions.deleteSubscription(doomed.getId(), true);
        assertProblem(404, "urn:herald:problem:not-found", () -> subscriptions.getSubscription(doomed.getId()));

        publish("{\"n\": 2}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/kept").size() == 2);
        assertEquals(connection, brokerClient.generation(), "Herald's broker connection was not lost and made again");
        assertEquals(1, receiver.requests("/doomed").size());
    }

    /**
     * Another instance's lane (here a consumer of the test's own) still reads the queue of a webhook subscription being
     * deleted: the deletion pauses the subscription and waits for that lane to leave before it deletes the queue.
     */
    @Test
    void deletionWaitsForOtherInstancesLanesToLeaveTheQueue() throws Exception {
        SubscriptionOut doomed = webhook("/doomed", null);
        String queue = io.herald.routing.Subscription.queueFor(doomed.getId());
        TestAmqpConsumer otherInstance = TestAmqpConsumer.connect(vertx, broker);
        try {
            otherInstance.attach(brokerClient.topology().address(queue));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> consumersOf(queue) >= 2); // this instance's lane and the other
            var deletion = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    subscriptions.deleteSubscription(doomed.getId(), true);
                } catch (ApiException e) {
                    throw new IllegalStateException(e.getResponseBody(), e);
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> consumersOf(queue) == 1); // this instance's lane has left
            assertEquals(
                    SubscriptionOut.StateEnum.PAUSED,
                    subscriptions.getSubscription(doomed.getId()).getState());
            Thread.sleep(300);
            assertFalse(deletion.isDone(), "the queue is not deleted while another lane reads it");

            otherInstance.close(); // the other instance's reconcile closes its lane
            otherInstance = null;
            deletion.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            if (otherInstance != null) {
                otherInstance.close();
            }
        }
        assertProblem(404, "urn:herald:problem:not-found", () -> subscriptions.getSubscription(doomed.getId()));
        assertTrue(
                brokerClient
                        .inspect(queue)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get()
                        .isEmpty(),
                "the queue is gone");
    }

    /**
     * A lane takes from its queue only what it can work on: after a stretch of quick answers, a backlog behind an
     * endpoint gone slow stays in the broker, not in Herald's memory. (The RabbitMQ over-grant that exhausted Herald's
     * heap in the benchmark needs thousands of messages a second to show: see CreditedReceiver and bench/results.)
     */
    @Test
    void aLaneTakesFromItsQueueOnlyWhatItCanWorkOn() throws Exception {
        int quick = 100;
        int slowBacklog = 50;
        Answer[] quickAnswers = new Answer[quick];
        java.util.Arrays.fill(quickAnswers, Answer.status(200));
        receiver.script("/slow", quickAnswers);
        receiver.always("/slow", new Answer(200, null, 3000));
        SubscriptionOut slow = subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url("/slow")))
                        .timeout("PT10S")
                        .maxInFlight(2)));
        String queue = io.herald.routing.Subscription.queueFor(slow.getId());
        for (int i = 0; i < quick + slowBacklog; i++) {
            publish("{\"n\": " + i + "}");
        }
        // Two requests in flight and a window of two: the lane holds at most four; the rest is ready in the queue.
        await().atMost(Duration.ofSeconds(30)).until(() -> readyIn(queue) >= slowBacklog - 10);
        Thread.sleep(1000);
        assertTrue(readyIn(queue) >= slowBacklog - 10, "ready in the queue: " + readyIn(queue));
        assertTrue(receiver.mostConcurrent("/slow") <= 2, "requests at once: " + receiver.mostConcurrent("/slow"));
        subscriptions.deleteSubscription(slow.getId(), true);
    }

    private long readyIn(String queue) throws Exception {
        return brokerClient
                .inspect(queue)
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .map(io.herald.broker.BrokerTopology.QueueState::messages)
                .orElse(0L);
    }

    private int consumersOf(String queue) throws Exception {
        return brokerClient
                .inspect(queue)
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .map(io.herald.broker.BrokerTopology.QueueState::consumers)
                .orElse(0);
    }

    @Test
    void cloudEventsBinaryFormat() throws Exception {
        webhook("/binary", "cloudevents-binary");
        String id = publish("{\"n\": 1}");
        awaitState(id, DeliveryState.DELIVERED);
        WebhookReceiver.Request binary = receiver.requests("/binary").get(0);
        assertEquals("1.0", binary.header("ce-specversion"));
        assertEquals("order.placed", binary.header("ce-type"));
        assertEquals(id, binary.header("ce-id"));
        assertEquals("{\"n\": 1}", binary.bodyText());
    }

    @Test
    void cloudEventsStructuredFormatKeepsExtensionTypes() throws Exception {
        webhook("/structured", "cloudevents-structured");
        String id = given().contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"x-1\","
                        + "\"source\":\"/shop\",\"type\":\"order.placed\",\"priority\":3,\"urgent\":true,\"region\":\"eu\","
                        + "\"data\":{\"n\":1}}")
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitState(id, DeliveryState.DELIVERED);
        var envelope = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(receiver.requests("/structured").get(0).bodyText());
        assertTrue(envelope.get("priority").isIntegralNumber(), envelope.toString());
        assertEquals(3, envelope.get("priority").asInt());
        assertTrue(envelope.get("urgent").isBoolean(), envelope.toString());
        assertEquals("eu", envelope.get("region").asText());
        assertEquals(1, envelope.get("data").get("n").asInt());
    }

    /**
     * A retry due while its lane is busy with a backlog's first attempts waits for a free slot, not for its claim's
     * 2-minute lease (bench/faults.sh found retries held back that way after a receiver hung).
     */
    @Test
    void aRetryDueWhileItsLaneIsBusyIsAttemptedOnceASlotIsFree() throws Exception {
        receiver.script("/busy", Answer.status(500));
        receiver.always("/busy", new Answer(200, null, 400));
        subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url("/busy")))
                        .timeout("PT10S")
                        .maxInFlight(1)));
        String failedFirst = publish("{\"n\": 0}");
        for (int i = 1; i <= 10; i++) {
            publish("{\"n\": " + i + "}"); // 4 s of first attempts on the lane's one slot, from its queue
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(
                        DeliveryState.DELIVERED, deliveryOf(failedFirst).getState()));
    }

    @Test
    void failuresAreRetriedWithTheSameIdUntilSuccess() throws Exception {
        SubscriptionOut subscription = webhook("/flaky", null);
        receiver.script("/flaky", Answer.status(500), Answer.status(502));
        String id = publish("{\"n\": 2}");
        DeliveryDetail delivery = awaitState(id, DeliveryState.DELIVERED);

        List<WebhookReceiver.Request> requests = receiver.requests("/flaky");
        assertEquals(3, requests.size());
        assertTrue(requests.stream().allMatch(r -> id.equals(r.header("webhook-id"))), "the same id on every attempt");
        assertTrue(requests.stream()
                .allMatch(r ->
                        WebhookReceiver.verifies(r, subscription.getWebhook().getSecret())));
        assertTrue(
                requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis() >= 250,
                "second attempt after the 0.3 s delay");
        List<Attempt> attempts =
                deliveries.listDeliveryAttempts(delivery.getId()).getItems();
        assertEquals(
                List.of(500, 502, 200),
                attempts.stream().map(Attempt::getStatusCode).toList());
        assertEquals(Attempt.ErrorClassEnum.HTTP_STATUS, attempts.get(0).getErrorClass());
    }

    @Test
    void exhaustionGoesToTheDeadLetterQueueAndPublishesAnOperationalEvent() throws Exception {
        SubscriptionOut subscription = webhook("/down", null);
        receiver.always("/down", Answer.status(500));
        String id = publish("{\"n\": 3}");
        DeliveryDetail delivery = awaitState(id, DeliveryState.EXHAUSTED);
        assertEquals(3, delivery.getAttempts());
        assertEquals(3, receiver.requests("/down").size());

        List<JmsQueueReader.Received> deadLetters =
                JmsQueueReader.read(broker, deadLetterAddress(subscription), 1, Duration.ofSeconds(10));
        assertEquals(1, deadLetters.size(), "a copy is in the dead-letter queue");
        assertEquals(id, deadLetters.get(0).properties().get("herald_event_id"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<EventOut> operational = events.listEvents(
                            SystemTopics.EXHAUSTED_TOPIC, null, subscription.getId(), null, null, null, 10)
                    .getItems();
            assertEquals(1, operational.size());
            Map<?, ?> data = (Map<?, ?>) operational.get(0).getData();
            assertEquals(delivery.getId(), data.get("deliveryId"));
            assertEquals(id, data.get("eventId"));
            assertEquals(500, data.get("lastStatus"));
        });
    }

    private String deadLetterAddress(SubscriptionOut webhookSubscription) {
        String queue = "herald.sub." + webhookSubscription.getId() + ".dlq";
        return broker.flavour() == BrokerFlavour.RABBITMQ && !broker.isEmbedded() ? "/amq/queue/" + queue : queue;
    }

    @Test
    void goneDisablesTheSubscription() throws Exception {
        SubscriptionOut subscription = webhook("/gone", null);
        receiver.always("/gone", Answer.status(410));
        String id = publish("{\"n\": 4}");
        awaitState(id, DeliveryState.EXHAUSTED);
        assertEquals(1, receiver.requests("/gone").size(), "410 is not retried");
        SubscriptionOut disabled = subscriptions.getSubscription(subscription.getId());
        assertEquals(SubscriptionOut.StateEnum.DISABLED, disabled.getState());
        assertTrue(disabled.getDisabledReason().contains("410"));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        events.listEvents(SystemTopics.DISABLED_TOPIC, null, subscription.getId(), null, null, null, 10)
                                        .getItems()
                                        .size()
                                == 1);

        // Re-enabling is explicit; then deliveries flow again.
        receiver.always("/gone", Answer.status(200));
        subscriptions.updateSubscription(
                subscription.getId(), new SubscriptionPatch().state(SubscriptionPatch.StateEnum.ACTIVE));
        awaitState(publish("{\"n\": 5}"), DeliveryState.DELIVERED);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        webhook("/busy", null);
        receiver.script("/busy", new Answer(503, "2", 0));
        String id = publish("{\"n\": 6}");
        awaitState(id, DeliveryState.DELIVERED);
        List<WebhookReceiver.Request> requests = receiver.requests("/busy");
        long gap = requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis();
        assertTrue(gap >= 1900, "waited for Retry-After: 2 s, not the 0.3 s schedule: " + gap + " ms");
    }

    @Test
    void redriveAndManualRetryAfterExhaustion() throws Exception {
        SubscriptionOut subscription = webhook("/later", null);
        receiver.always("/later", Answer.status(500));
        String first = publish("{\"n\": 7}");
        String second = publish("{\"n\": 8}");
        DeliveryDetail exhausted = awaitState(first, DeliveryState.EXHAUSTED);
        awaitState(second, DeliveryState.EXHAUSTED);

        // A manual retry that fails is recorded and not rescheduled.
        RetryOut failedRetry = deliveries.retryDelivery(exhausted.getId());
        assertEquals(500, failedRetry.getAttempt().getStatusCode());
        assertEquals(Attempt.TriggerEnum.MANUAL, failedRetry.getAttempt().getTrigger());
        assertEquals(DeliveryState.EXHAUSTED, failedRetry.getDelivery().getState());
        Thread.sleep(1000);
        assertEquals(4, deliveries.getDelivery(exhausted.getId()).getAttempts(), "no scheduled attempt followed");

        receiver.always("/later", Answer.status(200));
        RetryOut manual = deliveries.retryDelivery(exhausted.getId());
        assertEquals(DeliveryState.DELIVERED, manual.getDelivery().getState());

        assertEquals(
                1,
                deliveries
                        .redriveDeliveries(subscription.getId(), new RedriveIn())
                        .getRedriven());
        awaitState(second, DeliveryState.DELIVERED);
        assertEquals(
                List.of(),
                deliveries
                        .listSubscriptionDeliveries(subscription.getId(), DeliveryState.EXHAUSTED, null, null)
                        .getItems());
        assertEquals(
                2,
                deliveries
                        .listSubscriptionDeliveries(subscription.getId(), DeliveryState.DELIVERED, null, null)
                        .getItems()
                        .size());
    }

    @Test
    void discardedDeliveriesAreNotAttemptedAgain() throws Exception {
        webhook("/never", null);
        receiver.always("/never", Answer.status(500));
        String id = publish("{\"n\": 9}");
        DeliveryDetail delivery = awaitState(id, DeliveryState.EXHAUSTED);
        assertEquals(
                DeliveryState.DISCARDED,
                deliveries.discardDelivery(delivery.getId()).getState());
        HeraldApi.assertProblem(409, "urn:herald:problem:conflict", () -> deliveries.retryDelivery(delivery.getId()));
    }

    @Test
    void replayWithDryRun() throws Exception {
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(1);
        publish("{\"n\": 10, \"kind\": \"a\"}");
        publish("{\"n\": 11, \"kind\": \"b\"}");
        publish("{\"n\": 12, \"kind\": \"a\"}");
        SubscriptionOut subscription = webhook("/replayed", null);
        Map<String, Object> onlyA = JSON.readValue(
                "{\"data\": {\"kind\": [\"a\"]}}",
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});

        ReplayOut dryRun = deliveries.replayEvents(
                subscription.getId(), new ReplayIn().from(from).filter(onlyA).dryRun(true));
        assertEquals(2, dryRun.getMatched());
        assertEquals(0, dryRun.getReplayed());
        Thread.sleep(500);
        assertEquals(0, receiver.requests("/replayed").size(), "a dry run sends nothing");

        ReplayOut replay = deliveries.replayEvents(
                subscription.getId(), new ReplayIn().from(from).filter(onlyA).ratePerSecond(10));
        assertEquals(2, replay.getReplayed());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.requests("/replayed").size() == 2);
        assertTrue(
                deliveries.listSubscriptionDeliveries(subscription.getId(), null, null, null).getItems().stream()
                        .allMatch(DeliveryDetail::getReplay),
                "replayed deliveries are marked");
    }

    @Test
    void aReplayIsARecordedJobThatReportsProgressAndResumesWhereItStopped() throws Exception {
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(1);
        List<String> published = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            published.add(publish("{\"n\": " + i + "}"));
        }
        SubscriptionOut subscription = webhook("/resumed", null);
        ReplayOut started = deliveries.replayEvents(
                subscription.getId(), new ReplayIn().from(from).ratePerSecond(10));
        assertEquals(25, started.getMatched());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "done"
                        .equals(deliveries
                                .getReplay(subscription.getId(), started.getId())
                                .getState()
                                .getValue()));
        assertEquals(
                25, deliveries.getReplay(subscription.getId(), started.getId()).getDone());
        assertEquals(
                List.of(started.getId()),
                deliveries.listReplays(subscription.getId()).getItems().stream()
                        .map(r -> r.getId())
                        .toList());

        // An instance ran a second replay ten events far and died holding it: the deliveries it created and its cursor
        // committed together. Another instance takes the job when the lease runs out, and creates the other fifteen.
        String tenth;
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            var rs = statement.executeQuery("select id, accepted_at from events where topic = '" + topic
                    + "' order by accepted_at, id " + "offset 9 limit 1");
            rs.next();
            tenth = rs.getString(1);
            java.sql.Timestamp tenthAt = rs.getTimestamp(2);
            var insert = connection.prepareStatement(
                    "insert into replays (id, subscription_id, from_at, to_at, rate_per_second, matched, done, "
                            + "state, cursor_accepted_at, cursor_event_id, lease_owner, lease_until, created_at, updated_at) values "
                            + "('rpl_interrupted', ?, ?, now(), 100, 25, 10, 'RUNNING', ?, ?, 'ins_dead', now() - interval '1 second', now(), now())");
            insert.setString(1, subscription.getId());
            insert.setObject(2, from);
            insert.setTimestamp(3, tenthAt);
            insert.setString(4, tenth);
            insert.executeUpdate();
            statement.executeUpdate(
                    "insert into deliveries (id, event_id, event_accepted_at, subscription_id, state, created_at, replay) "
                            + "select 'dlv_i' || substr(e.id, 5), e.id, e.accepted_at, '" + subscription.getId()
                            + "', 'PENDING', now(), true "
                            + "from events e where e.topic = '" + topic + "' order by e.accepted_at, e.id limit 10");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "done"
                        .equals(deliveries
                                .getReplay(subscription.getId(), "rpl_interrupted")
                                .getState()
                                .getValue()));
        assertEquals(
                25,
                deliveries.getReplay(subscription.getId(), "rpl_interrupted").getDone());
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            var rs = statement.executeQuery(
                    "select count(*), count(distinct event_id) from deliveries where subscription_id = '"
                            + subscription.getId()
                            + "' and replay and (id like 'dlv_i%' or created_at > (select created_at from replays "
                            + "where id = 'rpl_interrupted'))");
            rs.next();
            assertEquals(25, rs.getInt(1), "every event once: none lost, none repeated");
            assertEquals(25, rs.getInt(2));
        }
    }

    @Test
    void testEventReachesTheEndpointSignedAndIsNotStored() throws Exception {
        SubscriptionOut subscription = webhook("/probe", null);
        Attempt ok = subscriptions.sendSubscriptionTest(subscription.getId());
        assertEquals(Attempt.OutcomeEnum.SUCCEEDED, ok.getOutcome());
        assertEquals(200, ok.getStatusCode());
        WebhookReceiver.Request request = receiver.requests("/probe").get(0);
        assertTrue(WebhookReceiver.verifies(request, subscription.getWebhook().getSecret()), "signed like a delivery");
        assertTrue(request.bodyText().contains("\"test\":true"), request.bodyText());

        receiver.always("/probe", WebhookReceiver.Answer.status(500));
        Attempt failed = subscriptions.sendSubscriptionTest(subscription.getId());
        assertEquals(Attempt.OutcomeEnum.FAILED, failed.getOutcome());
        assertEquals(500, failed.getStatusCode());
        assertTrue(
                deliveries
                        .listSubscriptionDeliveries(subscription.getId(), null, null, null)
                        .getItems()
                        .isEmpty(),
                "a test event is not a delivery");

        SubscriptionOut queue = subscriptions.createSubscription(
                new SubscriptionIn().topic(topic).kind(SubscriptionIn.KindEnum.QUEUE));
        HeraldApi.assertProblem(
                409, "urn:herald:problem:conflict", () -> subscriptions.sendSubscriptionTest(queue.getId()));
        HeraldApi.assertProblem(
                404, "urn:herald:problem:not-found", () -> subscriptions.sendSubscriptionTest("sub_missing"));
    }

    @Test
    void rotatedSecretSignsAlongsideTheOldOne() throws Exception {
        SubscriptionOut subscription = webhook("/rotating", null);
        String oldSecret = subscription.getWebhook().getSecret();
        awaitState(publish("{\"n\": 12}"), DeliveryState.DELIVERED); // the lane runs, with the old secret
        SecretRotation rotation = subscriptions.rotateSubscriptionSecret(subscription.getId());
        assertNotNull(rotation.getPreviousSecretValidUntil());
        assertFalse(rotation.getSecret().equals(oldSecret));
        // No wait: once the rotation has answered, every delivery carries the new signature.

        awaitState(publish("{\"n\": 13}"), DeliveryState.DELIVERED);
        WebhookReceiver.Request request = receiver.requests("/rotating").get(1);
        assertEquals(
                2, request.header("webhook-signature").split(" ").length, "two signatures during the grace period");
        assertTrue(WebhookReceiver.verifies(request, rotation.getSecret()), "the new secret verifies");
        assertTrue(WebhookReceiver.verifies(request, oldSecret), "the old secret still verifies");
    }

    @Test
    void perSubscriptionScheduleAndRateCap() throws Exception {
        SubscriptionOut once = subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url("/once")))
                        .retrySchedule(List.of("PT0S"))
                        .maxPerSecond(5)));
        assertEquals(List.of("PT0S"), once.getWebhook().getRetrySchedule());
        receiver.always("/once", Answer.status(500));
        String failing = publish("{\"n\": 20}");
        assertEquals(
                1, awaitState(failing, DeliveryState.EXHAUSTED).getAttempts(), "its own schedule: one attempt only");

        receiver.always("/once", Answer.status(200));
        for (int i = 0; i < 10; i++) {
            publish("{\"n\": " + (21 + i) + "}");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.requests("/once").size() >= 11);
        List<WebhookReceiver.Request> capped = receiver.requests("/once").subList(1, 11);
        long spread = capped.get(9).receivedAtMillis() - capped.get(0).receivedAtMillis();
        assertTrue(spread >= 1600, "10 requests at 5 per second take about 1.8 s, not " + spread + " ms");
    }

    @Test
    void continuousFailuresDisableTheSubscription() throws Exception {
        SubscriptionOut subscription = webhook("/broken", null);
        receiver.always("/broken", Answer.status(503));
        for (int i = 0; i < 4; i++) {
            publish("{\"n\": " + (40 + i) + "}");
        }
        // The test profile disables after 10 failed attempts in a row (3 attempts per delivery here).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(
                        SubscriptionOut.StateEnum.DISABLED,
                        subscriptions.getSubscription(subscription.getId()).getState()));
        assertTrue(subscriptions
                .getSubscription(subscription.getId())
                .getDisabledReason()
                .contains("failed attempts in a row"));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        events.listEvents(SystemTopics.DISABLED_TOPIC, null, subscription.getId(), null, null, null, 10)
                                        .getItems()
                                        .size()
                                == 1);
    }

    @Test
    void internalAddressesAreRefusedWhenSaved() {
        HeraldApi.assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.createSubscription(new SubscriptionIn()
                        .topic(topic)
                        .kind(SubscriptionIn.KindEnum.WEBHOOK)
                        .webhook(new WebhookIn().url(URI.create("http://169.254.169.254/latest/meta-data")))));
        HeraldApi.assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.createSubscription(new SubscriptionIn()
                        .topic(topic)
                        .kind(SubscriptionIn.KindEnum.WEBHOOK)
                        .webhook(new WebhookIn().url(URI.create("http://10.0.0.8/hook")))));
    }
}
