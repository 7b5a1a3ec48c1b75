package io.herald.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.TopicIn;
import io.herald.client.model.WebhookIn;
import io.herald.testing.HeraldApi;
import io.herald.testing.WebhookReceiver;
import io.herald.testing.WebhookReceiver.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Promise 3: an endpoint that never answers in time delays only itself. */
@QuarkusTest
class IsolationTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void aHangingEndpointDoesNotDelayAHealthyOne() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.always("/hanging", new Answer(200, null, 15_000));
            String topic = topicWithWebhooks(
                    new WebhookIn().url(URI.create(receiver.url("/hanging"))).timeout("PT10S"),
                    new WebhookIn().url(URI.create(receiver.url("/healthy"))).timeout("PT10S"));

            long started = System.currentTimeMillis();
            for (int batch = 0; batch < 5; batch++) {
                publishBatch(topic, batch * 100, 100);
            }

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.requests("/healthy").size() >= 500);
            List<WebhookReceiver.Request> healthy = receiver.requests("/healthy");
            long lastArrival = healthy.stream()
                    .mapToLong(WebhookReceiver.Request::receivedAtMillis)
                    .max()
                    .orElseThrow();
            Set<String> ids = new HashSet<>();
            healthy.forEach(r -> ids.add(r.header("webhook-id")));
            System.out.printf(
                    "[isolation] 500 events reached the healthy endpoint in %d ms while the hanging one held %d requests%n",
                    lastArrival - started, receiver.requests("/hanging").size());
            assertEquals(500, ids.size(), "every event reached the healthy endpoint");
            assertTrue(
                    lastArrival - started < 10_000,
                    "all arrived before the hanging endpoint's first timeout: " + (lastArrival - started) + " ms");
            assertTrue(
                    receiver.requests("/hanging").size() <= 10,
                    "the hanging endpoint holds at most its own lane's in-flight slots");
        }
    }

    @Test
    void aSubscriptionNeverHasMoreRequestsInFlightThanItsCap() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.always("/slow", new Answer(200, null, 200));
            String topic = topicWithWebhooks(
                    new WebhookIn().url(URI.create(receiver.url("/slow"))).maxInFlight(3));
            publishBatch(topic, 0, 15);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.requests("/slow").size() >= 15);
            Set<String> ids = new HashSet<>();
            receiver.requests("/slow").forEach(r -> ids.add(r.header("webhook-id")));
            assertEquals(15, ids.size(), "every event delivered once");
            assertEquals(
                    3, receiver.mostConcurrent("/slow"), "the endpoint saw its cap of requests at once, never more");
        }
    }

    /** A new topic with one webhook subscription per endpoint, once their lanes have attached. */
    private String topicWithWebhooks(WebhookIn... webhooks) throws Exception {
        String topic = "isolation." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
        SubscriptionsApi subscriptions = new SubscriptionsApi(HeraldApi.client(base));
        for (WebhookIn webhook : webhooks) {
            subscriptions.createSubscription(new SubscriptionIn()
                    .topic(topic)
                    .kind(SubscriptionIn.KindEnum.WEBHOOK)
                    .webhook(webhook));
        }
        Thread.sleep(1500); // lanes attach within a second
        return topic;
    }

    /** One batch of {@code count} events {"n": from..}, accepted. */
    private static void publishBatch(String topic, int from, int count) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"n\": ").append(from + i).append('}');
        }
        given().contentType("application/json")
                .body(body.append(']').toString())
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202);
    }
}
