package io.herald.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.ApiException;
import io.herald.client.api.DeliveriesApi;
import io.herald.client.api.EventsApi;
import io.herald.client.api.SubscriptionsApi;
import io.herald.client.api.TopicsApi;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.SubscriptionIn;
import io.herald.client.model.SubscriptionOut;
import io.herald.client.model.TopicIn;
import io.herald.client.model.WebhookIn;
import io.herald.flow.FlowReport;
import io.herald.testing.HeraldApi;
import io.herald.testing.OrderCheckingReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ordered delivery per key against a receiver that checks it: events of one key arrive one at a time in acceptance
 * order, through random failures and retries, while other keys go in parallel; a stuck key holds only itself.
 */
@QuarkusTest
@Tag("external")
class OrderedDeliveryTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    FlowReport flow;

    SubscriptionsApi subscriptions;
    DeliveriesApi deliveries;
    EventsApi events;
    String topic;
    OrderCheckingReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        subscriptions = new SubscriptionsApi(HeraldApi.client(base));
        deliveries = new DeliveriesApi(HeraldApi.client(base));
        events = new EventsApi(HeraldApi.client(base));
        topic = "ordered." + UUID.randomUUID().toString().substring(0, 8);
        new TopicsApi(HeraldApi.client(base)).createTopic(new TopicIn().name(topic));
    }

    @AfterEach
    void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private SubscriptionOut ordered(List<String> schedule) throws ApiException {
        return subscriptions.createSubscription(new SubscriptionIn()
                .topic(topic)
                .kind(SubscriptionIn.KindEnum.WEBHOOK)
                .ordered(true)
                .orderingKey("/key")
                .webhook(new WebhookIn()
                        .url(URI.create(receiver.url()))
                        .maxInFlight(20)
                        .retrySchedule(schedule)));
    }

    /** Publishes {@code perKey} events for each key, interleaved (n counts per key), 500 to a request. */
    private void publish(List<String> keys, int perKey) {
        List<String> batch = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            for (String key : keys) {
                batch.add("{\"key\": \"" + key + "\", \"n\": " + n + "}");
                if (batch.size() == 500) {
                    send(batch);
                }
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<String> batch) {
        given().contentType("application/json")
                .body("[" + String.join(",", batch) + "]")
                .post("/api/v1/topics/" + topic + "/events")
                .then()
                .statusCode(202);
        batch.clear();
    }

    @Test
    void tenThousandEventsOverAHundredKeysArriveInOrderPerKeyThroughRandomFailures() throws Exception {
        // 3 %: the test profile disables a subscription after 10 failures in a row, and a group commit of many
        // attempts counts its failures after its successes; at 10 % that disabled the subscription now and then.
        receiver = new OrderCheckingReceiver(0.03, 1);
        ordered(List.of(
                "PT0S", "PT0.05S", "PT0.1S", "PT0.1S", "PT0.1S", "PT0.1S", "PT0.1S", "PT0.1S", "PT0.1S", "PT0.1S"));
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> "k" + i).toList();
        long started = System.nanoTime();
        publish(keys, 100);

        List<Integer> inOrder = IntStream.range(0, 100).boxed().toList();
        // Until every key is complete, or one shows an event out of order (then the assertions below say which).
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    boolean complete = true;
                    for (String key : keys) {
                        List<Integer> got = receiver.acceptedOnceInARow(key); // one snapshot: the list grows meanwhile
                        if (!got.equals(inOrder.subList(0, Math.min(got.size(), inOrder.size())))) {
                            return true; // out of order: the assertions below say which key
                        }
                        complete &= got.size() == inOrder.size();
                    }
                    return complete;
                });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "[ordered] 10,000 events over 100 keys, 3%% refused at random: %.1f s (%.0f deliveries/s), %d requests,"
                        + " %d accepted twice in a row (at-least-once)%n",
                seconds, 10_000 / seconds, receiver.requests.get(), receiver.acceptedCount() - 10_000);
        assertEquals(Set.of(), receiver.overlapping, "keys that had two different events open at once");
        for (String key : keys) {
            assertEquals(inOrder, receiver.acceptedOnceInARow(key), "accepted in acceptance order: " + key);
        }
    }

    @Test
    void aStuckKeyHoldsOnlyItselfAndItsWaitingEventsShowUntilTheHeadIsDiscarded() throws Exception {
        receiver = new OrderCheckingReceiver(0, 1);
        receiver.refusing.add("stuck");
        SubscriptionOut subscription = ordered(List.of("PT0S", "PT0.2S"));
        publish(List.of("stuck", "a", "b", "c"), 20);

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedCount() == 60);
        for (String key : List.of("a", "b", "c")) {
            assertEquals(IntStream.range(0, 20).boxed().toList(), receiver.accepted.get(key));
        }
        // The stuck key's head is dead-lettered; its 19 later events wait, and say so.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(
                    19,
                    deliveries
                            .listSubscriptionDeliveries(subscription.getId(), DeliveryState.WAITING, null, 100)
                            .getItems()
                            .size());
            assertEquals(
                    1,
                    deliveries
                            .listSubscriptionDeliveries(subscription.getId(), DeliveryState.EXHAUSTED, null, 10)
                            .getItems()
                            .size());
        });
        var exhausted = deliveries
                .listSubscriptionDeliveries(subscription.getId(), DeliveryState.EXHAUSTED, null, 10)
                .getItems();
        assertEquals(1, exhausted.size());
        assertTrue(receiver.accepted.get("stuck") == null, "nothing of the stuck key got through");
        assertEquals(19L, flow.health(subscription.getId()).backlog(), "the dashboard counts the waiting ones as owed");

        String waiting = deliveries
                .listSubscriptionDeliveries(subscription.getId(), DeliveryState.WAITING, null, 1)
                .getItems()
                .get(0)
                .getId();
        io.herald.testing.HeraldApi.assertProblem(
                409, "urn:herald:problem:conflict", () -> deliveries.retryDelivery(waiting));

        receiver.refusing.clear();
        deliveries.discardDelivery(exhausted.get(0).getId());
        assertEquals(
                DeliveryState.DISCARDED,
                deliveries.getDelivery(exhausted.get(0).getId()).getState());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.accepted.getOrDefault("stuck", List.of()).size() == 19);
        assertEquals(IntStream.range(1, 20).boxed().toList(), receiver.accepted.get("stuck"), "released in order");
        assertEquals(Set.of(), receiver.overlapping);
    }

    @Test
    void aRedrivenHeadIsDeliveredFirstAndReleasesItsKey() throws Exception {
        receiver = new OrderCheckingReceiver(0, 1);
        receiver.refusing.add("late");
        SubscriptionOut subscription = ordered(List.of("PT0S"));
        publish(List.of("late"), 5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(
                    4,
                    deliveries
                            .listSubscriptionDeliveries(subscription.getId(), DeliveryState.WAITING, null, 10)
                            .getItems()
                            .size());
            // The waiting ones can be counted before the head's one attempt is recorded exhausted.
            assertEquals(
                    1,
                    deliveries
                            .listSubscriptionDeliveries(subscription.getId(), DeliveryState.EXHAUSTED, null, 10)
                            .getItems()
                            .size());
        });

        receiver.refusing.clear();
        var redriven = deliveries.redriveDeliveries(subscription.getId(), new io.herald.client.model.RedriveIn());
        assertEquals(1, redriven.getRedriven());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.accepted.getOrDefault("late", List.of()).size() == 5);
        assertEquals(List.of(0, 1, 2, 3, 4), receiver.accepted.get("late"), "the head first, then the rest in order");
        assertEquals(Set.of(), receiver.overlapping);
    }
}
