package io.herald.broker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import io.herald.routing.SubscriptionService;
import io.herald.testing.JmsQueueReader;
import io.herald.testing.WebhookReceiver;
import io.herald.topic.TopicIn;
import io.herald.topic.TopicService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * RabbitMQ outages, made with {@code rabbitmqctl} while events are published: a stop and start of the broker (readiness
 * follows it, every event accepted meanwhile reaches its webhook and its queue subscription, read over AMQP 1.0 while
 * Herald publishes over AMQP 0-9-1), and a memory alarm. Runs in the external pass only.
 */
@QuarkusTest
@Tag("external")
@EnabledIfEnvironmentVariable(named = "HERALD_BROKER_FLAVOUR", matches = "rabbitmq")
class RabbitMqOutageTest {
    private static final Pattern NUMBER = Pattern.compile("\"n\": ?(\\d+)");

    @Inject
    BrokerClient broker;

    @Inject
    BrokerConfig config;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    TopicService topics;

    /** The watermark to restore after a test raised the memory alarm; null when none did. */
    private String memoryWatermark;

    @AfterEach
    void brokerIsBack() throws Exception {
        if (memoryWatermark != null) {
            rabbitmqctl("set_vm_memory_high_watermark", memoryWatermark);
        }
        rabbitmqctl("start_app");
        await().atMost(Duration.ofSeconds(60)).until(broker::isConnected);
    }

    /**
     * RabbitMQ's memory alarm blocks every connection that publishes: Herald keeps accepting (the events wait in its
     * outbox, not on its heap), keeps its consumers (they have a connection of their own), and delivers everything by
     * itself once the alarm clears.
     */
    @Test
    void eventsAcceptedDuringAMemoryAlarmAreDeliveredWhenItClears() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
        String topic = "alarm." + UUID.randomUUID().toString().substring(0, 8);
        topics.create(new TopicIn(topic, null, null, null, null));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            subscriptions.create(new SubscriptionIn(
                    null,
                    topic,
                    "webhook",
                    null,
                    new WebhookIn(receiver.url("/alarm"), null, null, null, null, null, null, null, null),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
            Thread.sleep(1500); // the lane attaches within a second

            memoryWatermark = rabbitmqctl("eval", "vm_memory_monitor:get_vm_memory_high_watermark().");
            rabbitmqctl("set_vm_memory_high_watermark", "0.000001");
            int events = 200;
            for (int i = 0; i < events; i++) {
                given().contentType("application/json")
                        .body("{\"n\": " + i + "}")
                        .post("/api/v1/topics/" + topic + "/events")
                        .then()
                        .statusCode(202);
            }
            Thread.sleep(3000);
            assertEquals(0, receiver.requests("/alarm").size(), "nothing passes the alarm");

            rabbitmqctl("set_vm_memory_high_watermark", memoryWatermark);
            memoryWatermark = null;
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertEquals(
                            events,
                            numbers(receiver.requests("/alarm").stream()
                                            .map(WebhookReceiver.Request::bodyText)
                                            .toList())
                                    .size()));
        }
    }

    @Test
    void everyEventAcceptedAcrossABrokerRestartIsDeliveredAndQueued() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
        String topic = "restart." + UUID.randomUUID().toString().substring(0, 8);
        topics.create(new TopicIn(topic, null, null, null, null));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            subscriptions.create(new SubscriptionIn(
                    null,
                    topic,
                    "webhook",
                    null,
                    new WebhookIn(receiver.url("/restart"), null, null, null, null, null, null, null, null),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
            var queued = subscriptions.create(
                    new SubscriptionIn(null, topic, "queue", null, null, null, null, null, null, null, null, null));
            Thread.sleep(1500); // the webhook's lane attaches within a second

            int events = 1500;
            ExecutorService publisher = Executors.newFixedThreadPool(4);
            List<Future<Integer>> statuses = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String body = "{\"n\": " + i + "}";
                long due = started + TimeUnit.MILLISECONDS.toNanos(i * 10L); // 100 events/s for 15 s
                statuses.add(publisher.submit(() -> {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    return given().contentType("application/json")
                            .body(body)
                            .post("/api/v1/topics/" + topic + "/events")
                            .statusCode();
                }));
            }
            Thread.sleep(4000);
            rabbitmqctl("stop_app");
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> given().get("/q/health/well")
                            .then()
                            .statusCode(503)
                            .body("checks.find { it.name == 'broker' }.status", equalTo("DOWN")));
            given().get("/q/health/ready").then().statusCode(200); // still accepting, into the outbox
            Thread.sleep(3000);
            rabbitmqctl("start_app");
            for (Future<Integer> status : statuses) {
                assertEquals(202, status.get(60, TimeUnit.SECONDS), "accepted, broker up or down");
            }
            publisher.shutdown();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> given().get("/q/health").then().statusCode(200));

            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertEquals(
                            events,
                            numbers(receiver.requests("/restart").stream()
                                            .map(WebhookReceiver.Request::bodyText)
                                            .toList())
                                    .size()));
            List<JmsQueueReader.Received> messages = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                // As many as are still missing: a redelivered message counts once (it would otherwise use up the
                // count).
                int missing = events
                        - numbers(messages.stream()
                                        .map(JmsQueueReader.Received::body)
                                        .toList())
                                .size();
                messages.addAll(JmsQueueReader.read(config, queued.queue().address(), missing, Duration.ofSeconds(2)));
                assertEquals(
                        events,
                        numbers(messages.stream()
                                        .map(JmsQueueReader.Received::body)
                                        .toList())
                                .size());
            });
            assertTrue(
                    messages.get(0).properties().containsKey("cloudEvents_id"),
                    "an AMQP 1.0 consumer reads the CloudEvents attributes: "
                            + messages.get(0).properties());
        }
    }

    /** The distinct event numbers in bodies (a redelivery is allowed, a missing event is not). */
    private static Set<Integer> numbers(List<String> bodies) {
        Set<Integer> numbers = new HashSet<>();
        for (String body : bodies) {
            Matcher matcher = NUMBER.matcher(body);
            if (matcher.find()) {
                numbers.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return numbers;
    }

    private static String rabbitmqctl(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), line + " finished");
        assertEquals(0, process.exitValue(), line + ": " + output);
        return output.trim();
    }
}
