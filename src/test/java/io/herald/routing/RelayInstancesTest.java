package io.herald.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.herald.broker.BrokerClient;
import io.herald.broker.BrokerClients;
import io.herald.broker.BrokerConfig;
import io.herald.broker.BrokerTopology;
import io.herald.flow.StageLag;
import io.herald.platform.PlatformConfig;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import io.herald.testing.JmsQueueReader;
import io.herald.topic.TopicIn;
import io.herald.topic.TopicService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one database - this application's and a second one with its own broker connection, database
 * transactions and (smaller) batches, as another Herald instance has - drain one backlog together: every event
 * reaches the queue, none twice.
 */
@QuarkusTest
@Tag("external")
class RelayInstancesTest {
    private static final int EVENTS = 2000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Vertx vertx;

    @Inject
    BrokerConfig brokerConfig;

    @Inject
    PlatformConfig platform;

    @Inject
    BrokerTopology topology;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    TopicService topics;

    @Test
    void twoRelaysDrainABacklogWithNothingMissingAndNothingTwice() throws Exception {
        String topic = "relay." + UUID.randomUUID().toString().substring(0, 8);
        topics.create(new TopicIn(topic, null, null, null, null));
        SubscriptionOut subscription = subscriptions.create(
                new SubscriptionIn(null, topic, "queue", null, null, null, null, null, null, null, null, null));
        subscriptions.update(
                subscription.id(),
                new SubscriptionPatch(null, "paused", null, null, null, null, null, null, null, null, null));
        for (int request = 0; request < EVENTS / 500; request++) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 500; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"n\": ")
                        .append(request * 500 + i)
                        .append('}');
            }
            given().contentType("application/json")
                    .body(batch.append(']').toString())
                    .post("/api/v1/topics/" + topic + "/events")
                    .then()
                    .statusCode(202);
        }
        assertEquals(EVENTS, count(subscription.id(), "PENDING"), "the backlog waits in the outbox while paused");

        BrokerClient secondBroker = BrokerClients.open(vertx, brokerConfig, topology);
        OutboxRelay second = new OutboxRelay(
                dataSource,
                secondBroker,
                new SmallBatches(),
                new SimpleMeterRegistry(),
                new StageLag(new SimpleMeterRegistry()),
                platform);
        AtomicInteger claimedBySecond = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread secondInstance = new Thread(
                () -> {
                    while (running.get()) {
                        try {
                            if (secondBroker.isConnected()) {
                                claimedBySecond.addAndGet(second.relayOnce());
                            } else {
                                Thread.sleep(20);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                },
                "second-instance-relay");
        secondInstance.start();
        try {
            subscriptions.update(
                    subscription.id(),
                    new SubscriptionPatch(null, "active", null, null, null, null, null, null, null, null, null));
            await().atMost(Duration.ofSeconds(60)).until(() -> count(subscription.id(), "QUEUED") == EVENTS);
        } finally {
            running.set(false);
            secondInstance.join(10_000);
            BrokerClients.close(secondBroker);
        }
        System.out.printf(
                "[relay-instances] second relay claimed %d of %d deliveries, the application's relay the rest%n",
                claimedBySecond.get(), EVENTS);
        assertTrue(claimedBySecond.get() > 0, "the second relay took part");

        List<JmsQueueReader.Received> messages =
                JmsQueueReader.read(brokerConfig, subscription.queue().address(), EVENTS + 50, Duration.ofSeconds(3));
        Set<Object> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.properties().get("herald_event_id")));
        assertEquals(EVENTS, ids.size(), "no event missing");
        assertEquals(EVENTS, messages.size(), "none queued twice");
    }

    private long count(String subscriptionId, String state) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from deliveries where subscription_id = ? and state = ?")) {
            statement.setString(1, subscriptionId);
            statement.setString(2, state);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final class SmallBatches implements RelayConfig {
        @Override
        public int batchSize() {
            return 50;
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofMillis(100);
        }

        @Override
        public Duration sendTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public int workers() {
            return 1;
        }
    }
}
