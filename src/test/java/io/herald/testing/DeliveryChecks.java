package io.herald.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.client.ApiException;
import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.DeliveryDetail;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.TopicIn;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;

/**
 * A topic of its own for one delivery test, with the API clients and the steps every such test takes: publish an
 * event (type {@code order.placed}), read its one delivery, wait for it to reach a state.
 */
public final class DeliveryChecks {
    public final SubscriptionsApi subscriptions;
    public final DeliveriesApi deliveries;
    public final EventsApi events;
    public final String topic;

    private DeliveryChecks(URL base, String topic) {
        this.subscriptions = new SubscriptionsApi(HeraldApi.client(base));
        this.deliveries = new DeliveriesApi(HeraldApi.client(base));
        this.events = new EventsApi(HeraldApi.client(base));
        this.topic = topic;
    }

    /** A new topic named {@code prefix.<random>}. */
    public static DeliveryChecks onNewTopic(URL base, String prefix) throws ApiException {
        DeliveryChecks checks = new DeliveryChecks(
                base, prefix + "." + UUID.randomUUID().toString().substring(0, 8));
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(checks.topic));
        return checks;
    }

    /** Publishes one event with this JSON data; its id. */
    public String publish(String data) {
        return given().contentType("application/json")
                .header("Herald-Event-Type", "order.placed")
                .body(data)
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** The event's one delivery (the topic has one subscription). */
    public DeliveryDetail delivery(String eventId) {
        try {
            return deliveries.getDelivery(
                    events.getEvent(eventId).getDeliveries().get(0).getId());
        } catch (ApiException e) {
            throw new AssertionError(e);
        }
    }

    public DeliveryDetail awaitState(String eventId, DeliveryState state) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(state, delivery(eventId).getState()));
        return delivery(eventId);
    }
}
