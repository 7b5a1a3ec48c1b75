package io.herald.broker;

import io.herald.broker.embedded.EmbeddedBroker;
import io.herald.testing.TestAmqpConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import java.time.Duration;
import java.util.UUID;

import static io.herald.broker.BrokerQueueTest.join;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Stopping and starting the embedded Artemis: readiness follows it, and durable messages outlive it. */
@QuarkusTest
@DisabledIfEnvironmentVariable(named = "HERALD_BROKER_HOST", matches = ".+", disabledReason = "stops the embedded broker")
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
    void readinessGoesDownWithTheBrokerAndUpWhenItReturns() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        embedded.stop();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'broker' }.status", equalTo("DOWN")));

        embedded.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.status", hasItem("UP"))
                .body("checks.find { it.name == 'broker' }.status", equalTo("UP")));
    }

    @Test
    void durableMessageSurvivesABrokerRestart() {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
        String queue = "herald.sub.restart-" + UUID.randomUUID().toString().substring(0, 8);
        join(join(broker.sender(queue)).send(AmqpMessage.create().durable(true).id("evt_kept").withBody("kept").build()));

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
