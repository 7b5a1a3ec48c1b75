package io.herald.delivery;

import static io.herald.testing.HeraldApi.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiException;
import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryDetail;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.FieldError;
import io.herald.client.model.Problem;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.SubscriptionPatch;
import io.herald.client.model.TransformationTestIn;
import io.herald.client.model.TransformationTestOut;
import io.herald.client.model.WebhookIn;
import io.herald.testing.DeliveryChecks;
import io.herald.testing.WebhookReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Subscriptions with a transformation, delivering to a real receiver that checks signatures its own way. */
@QuarkusTest
@Tag("external")
class TransformationDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    WebhookReceiver receiver;
    DeliveryChecks checks;
    SubscriptionsApi subscriptions;
    DeliveriesApi deliveries;
    String topic;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        checks = DeliveryChecks.onNewTopic(base, "shape");
        subscriptions = checks.subscriptions;
        deliveries = checks.deliveries;
        topic = checks.topic;
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private SubscriptionOut webhook(String path, String transformation) throws ApiException {
        return subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .webhook(new WebhookIn().url(URI.create(receiver.url(path))).retrySchedule(java.util.List.of("PT0.2S")))
                .transformation(transformation));
    }

    @Test
    void theReceiverGetsTheTransformedBodyAndHeadersSignedAsSent() throws Exception {
        String expression =
                "{\"body\": {\"order\": data.orderId, \"total\": $sum(data.items.price)}, \"headers\": {\"X-Order\": data.orderId}}";
        SubscriptionOut subscription = webhook("/shaped", expression);
        assertEquals(
                expression, subscriptions.getSubscription(subscription.getId()).getTransformation());

        String id = checks.publish("{\"orderId\": \"o-7\", \"items\": [{\"price\": 2.5}, {\"price\": 4}]}");
        checks.awaitState(id, DeliveryState.DELIVERED);

        WebhookReceiver.Request request = receiver.requests("/shaped").get(0);
        assertEquals(JSON.readTree("{\"order\": \"o-7\", \"total\": 6.5}"), JSON.readTree(request.bodyText()));
        assertEquals("o-7", request.header("X-Order"));
        assertTrue(request.header("Content-Type").startsWith("application/json"));
        assertTrue(
                WebhookReceiver.verifies(request, subscription.getWebhook().getSecret()),
                "the signature covers the transformed body");
        assertEquals(id, request.header("webhook-id"));
    }

    @Test
    void aSkippedEventIsRecordedSkippedAndNeverSent() throws Exception {
        webhook("/skips", "data.amount < 10 ? {\"skip\": true} : {}");
        String small = checks.publish("{\"amount\": 5}");
        String large = checks.publish("{\"amount\": 50}");

        checks.awaitState(large, DeliveryState.DELIVERED);
        DeliveryDetail skipped = checks.awaitState(small, DeliveryState.SKIPPED);
        assertEquals(0, skipped.getAttempts(), "nothing was attempted");
        assertEquals(1, receiver.requests("/skips").size());
        assertEquals("{\"amount\": 50}", receiver.requests("/skips").get(0).bodyText(), "without a body, the data");
    }

    @Test
    void aTransformationThatFailsDeadLettersItsDeliveryWithTheReason() throws Exception {
        webhook("/refused", "data.customer ? {} : $error(\"no customer in \" & id)");
        String id = checks.publish("{\"amount\": 5}");

        DeliveryDetail exhausted = checks.awaitState(id, DeliveryState.EXHAUSTED);
        assertEquals(1, exhausted.getAttempts(), "not retried: the same event fails the same way");
        Attempt attempt =
                deliveries.listDeliveryAttempts(exhausted.getId()).getItems().get(0);
        assertEquals(Attempt.ErrorClassEnum.TRANSFORMATION, attempt.getErrorClass());
        assertTrue(attempt.getError().contains("no customer in " + id), attempt.getError());
        assertTrue(receiver.requests("/refused").isEmpty(), "nothing was sent");
    }

    @Test
    void anExpressionThatDoesNotParseIsRefusedWithItsPosition() {
        Problem problem =
                assertProblem(422, "urn:herald:problem:validation-failed", () -> webhook("/never", "{\"body\": data."));
        FieldError error = problem.getErrors().get(0);
        assertEquals("/transformation", error.getPointer());
        assertTrue(error.getDetail().contains("at position 14"), error.getDetail());
        assertTrue(error.getDetail().contains("S0203"), error.getDetail());

        Problem queue = assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.createSubscription(new SubscriptionIn()
                        .topic(topic)
                        .kind(SubscriptionIn.KindEnum.QUEUE)
                        .transformation("{}")));
        assertEquals("/transformation", queue.getErrors().get(0).getPointer());
    }

    @Test
    void aTransformationIsTestedOnAStoredEventAndChangedOrRemoved() throws Exception {
        SubscriptionOut subscription = webhook("/tested", "{\"body\": {\"n\": data.n * 2}}");
        String id = checks.publish("{\"n\": 21}");
        checks.awaitState(id, DeliveryState.DELIVERED);

        TransformationTestOut stored = subscriptions.testSubscriptionTransformation(
                subscription.getId(), new TransformationTestIn().eventId(id));
        assertEquals(
                21, JSON.valueToTree(stored.getInput()).path("data").path("n").asInt());
        assertEquals(
                "order.placed", JSON.valueToTree(stored.getInput()).path("type").asText());
        assertEquals(
                42, JSON.valueToTree(stored.getOutput().getBody()).path("n").asInt());
        assertNull(stored.getError());
        assertTrue(stored.getTookMs() >= 0);

        TransformationTestOut failing = subscriptions.testSubscriptionTransformation(
                subscription.getId(),
                new TransformationTestIn().eventId(id).transformation("{\"body\": $error(\"bad \" & data.n)}"));
        assertNull(failing.getOutput());
        assertTrue(
                failing.getError().getMessage().contains("bad 21"),
                failing.getError().getMessage());
        assertEquals("D3137", failing.getError().getCode());

        assertProblem(
                404,
                "urn:herald:problem:not-found",
                () -> subscriptions.testSubscriptionTransformation(
                        subscription.getId(), new TransformationTestIn().eventId("evt_missing")));
        assertProblem(
                422,
                "urn:herald:problem:validation-failed",
                () -> subscriptions.testSubscriptionTransformation(
                        subscription.getId(),
                        new TransformationTestIn().eventId(id).transformation("(")));

        subscriptions.updateSubscription(subscription.getId(), new SubscriptionPatch().transformation(""));
        assertNull(subscriptions.getSubscription(subscription.getId()).getTransformation(), "removed");
        Thread.sleep(1500); // lanes on every instance re-read their subscription's settings within a second
        String plain = checks.publish("{\"n\": 1}");
        checks.awaitState(plain, DeliveryState.DELIVERED);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> receiver.requests("/tested").size() == 2);
        assertEquals("{\"n\": 1}", receiver.requests("/tested").get(1).bodyText(), "delivered as published again");
    }
}
