package io.herald.delivery.destination;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.TopicIn;
import io.herald.delivery.SystemTopics;
import io.herald.testing.HeraldApi;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the destination tests share: a topic, a subscription on it, events published and their deliveries read back. */
final class Destinations {
    private Destinations() {}

    /** One event as published: the producer's CloudEvents id, Herald's id and the data bytes sent. */
    record Sent(String ceId, String heraldId, String data) {}

    static Fixture fixture(URL base, String engine) throws Exception {
        String suffix = engine + UUID.randomUUID().toString().substring(0, 8);
        String topic = "destinations." + suffix;
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
        return new Fixture(base, topic, suffix);
    }

    static final class Fixture {
        private final URL base;
        private final String topic;
        private final String suffix;
        private SubscriptionOut subscription;

        Fixture(URL base, String topic, String suffix) {
            this.base = base;
            this.topic = topic;
            this.suffix = suffix;
        }

        /** A token unique to this fixture, for subjects and streams. */
        String suffix() {
            return suffix;
        }

        String topic() {
            return topic;
        }

        /** Subscribes to the fixture's topic; returns once the lanes have attached. */
        SubscriptionOut subscribe(SubscriptionIn in) throws Exception {
            subscription = new SubscriptionsApi(HeraldApi.client(base)).createSubscription(in.topic(topic));
            Thread.sleep(1500); // lanes attach within a second
            return subscription;
        }

        /**
         * Publishes {@code count} CloudEvents in one batch: type {@code type}, subject customer-7, extension region
         * "eu west", data {@code dataFormat} formatted with the event's number.
         */
        List<Sent> publish(int count, String type, String dataFormat) {
            StringBuilder batch = new StringBuilder("[");
            List<String> data = new ArrayList<>();
            List<String> ceIds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String ceId = "ce-" + UUID.randomUUID();
                String body = dataFormat.formatted(i);
                ceIds.add(ceId);
                data.add(body);
                batch.append(i == 0 ? "" : ",")
                        .append("{\"specversion\": \"1.0\", \"id\": \"")
                        .append(ceId)
                        .append("\", \"source\": \"/tests/destinations\", \"type\": \"")
                        .append(type)
                        .append("\", \"subject\": \"customer-7\", \"region\": \"eu west\", ")
                        .append("\"datacontenttype\": \"application/json\", \"data\": ")
                        .append(body)
                        .append('}');
            }
            JsonPath receipts = given().header("X-API-Key", HeraldApi.ADMIN_KEY)
                    .contentType("application/cloudevents-batch+json; charset=utf-8")
                    .body(batch.append(']').toString())
                    .post("/api/v1/topics/" + topic + "/events")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath();
            List<Sent> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(new Sent(ceIds.get(i), receipts.getString("items[" + i + "].id"), data.get(i)));
            }
            return sent;
        }

        long count(DeliveryState state) throws Exception {
            return new DeliveriesApi(HeraldApi.client(base))
                    .listSubscriptionDeliveries(subscription.getId(), state, null, 500)
                    .getItems()
                    .size();
        }

        void awaitStates(DeliveryState state, int expected) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(state) == expected);
        }

        /** The attempts of the event's delivery to the fixture's subscription. */
        List<Attempt> attempts(Sent event) throws Exception {
            String deliveryId = new EventsApi(HeraldApi.client(base))
                    .getEvent(event.heraldId()).getDeliveries().stream()
                            .filter(d -> d.getSubscriptionId().equals(subscription.getId()))
                            .findFirst()
                            .orElseThrow()
                            .getId();
            return new DeliveriesApi(HeraldApi.client(base))
                    .listDeliveryAttempts(deliveryId)
                    .getItems();
        }

        /** The operational event announcing the exhausted delivery of {@code event}. */
        void awaitExhaustedNotice(Sent event) throws Exception {
            EventsApi events = new EventsApi(HeraldApi.client(base));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !events.listEvents(
                                    SystemTopics.EXHAUSTED_TOPIC, null, subscription.getId(), null, null, null, 10)
                            .getItems()
                            .isEmpty());
            String notice = events.listEvents(
                            SystemTopics.EXHAUSTED_TOPIC, null, subscription.getId(), null, null, null, 10)
                    .getItems()
                    .get(0)
                    .getData()
                    .toString();
            assertEquals(true, notice.contains(event.heraldId()), notice);
        }
    }
}
