package io.herald.broker;

import static io.herald.broker.BrokerQueueTest.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.herald.broker.embedded.EmbeddedBroker;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionService;
import io.herald.testing.JmsQueueReader;
import io.herald.testing.TestAmqpConsumer;
import io.herald.topic.TopicIn;
import io.herald.topic.TopicService;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/** Stopping and starting the embedded Artemis: readiness follows it, and durable messages outlive it. */
@QuarkusTest
@DisabledIfEnvironmentVariable(
        named = "HERALD_BROKER_HOST",
        matches = ".+",
        disabledReason = "stops the embedded broker")
class EmbeddedBrokerRestartTest {
    @Inject
    EmbeddedBroker embedded;

    @Inject
    BrokerClient broker;

    @Inject
    BrokerConfig config;

    @Inject
    Vertx vertx;

    @AfterEach
    void brokerIsBack() {
        embedded.start();
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
    }

    @Test
    void healthGoesDownWithTheBrokerWhileTheInstanceStaysReadyToAccept() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));

        embedded.stop();
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> given().get("/q/health/well")
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'broker' }.status", equalTo("DOWN")));
        given().get("/q/health").then().statusCode(503);
        // Events are still accepted into the outbox: a load balancer must keep sending them here.
        given().get("/q/health/ready").then().statusCode(200);

        embedded.start();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health")
                        .then()
                        .statusCode(200)
                        .body("checks.status", hasItem("UP"))
                        .body("checks.find { it.name == 'broker' }.status", equalTo("UP")));
    }

    @Inject
    SubscriptionService subscriptions;

    @Inject
    TopicService topics;

    /** Promise 3: a broker outage delays delivery, it loses nothing. */
    @Test
    void eventsAcceptedWhileTheBrokerIsDownAreAllQueuedWhenItReturns() throws Exception {
        String topic = "outage." + UUID.randomUUID().toString().substring(0, 8);
        topics.create(new TopicIn(topic, null, null, null, null));
        var subscription = subscriptions.create(
                new SubscriptionIn(null, topic, "queue", null, null, null, null, null, null, null, null, null));

        embedded.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> !broker.isConnected());
        ExecutorService producers = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String body = "{\"n\": " + i + "}";
            statuses.add(producers.submit(() -> given().contentType("application/json")
                    .body(body)
                    .post("/api/v1/topics/" + topic + "/events")
                    .statusCode()));
        }
        for (Future<Integer> status : statuses) {
            assertEquals(202, status.get(), "accepted while the broker is down");
        }
        producers.shutdown();

        embedded.start();
        List<JmsQueueReader.Received> messages = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            messages.addAll(JmsQueueReader.read(
                    config, subscription.queue().address(), 1000 - messages.size(), Duration.ofSeconds(2)));
            assertEquals(1000, messages.size());
        });
        Set<Object> numbers = new HashSet<>();
        messages.forEach(m -> numbers.add(m.body()));
        assertEquals(1000, numbers.size(), "every one of the 1,000 events, none missing");
    }

    @Test
    void durableMessageSurvivesABrokerRestart() {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
        String queue = "herald.sub.restart-" + UUID.randomUUID().toString().substring(0, 8);
        join(join(broker.sender(queue))
                .send(AmqpMessage.create()
                        .durable(true)
                        .id("evt_kept")
                        .withBody("kept")
                        .build()));

        embedded.stop();
        embedded.start();
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);

        try (TestAmqpConsumer consumer = TestAmqpConsumer.connect(vertx, config)) {
            AmqpMessage received = consumer.receiveOne(queue, Duration.ofSeconds(10), AmqpMessage::accepted);
            assertNotNull(received, "the durable message is still in " + queue + " after the restart");
            assertEquals("kept", received.bodyAsString());
        }
    }
}
