package io.herald.delivery.destination;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.KafkaSettings;
import io.herald.client.model.SubscriptionIn;
import io.herald.testing.EngineServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A subscription delivered to Kafka, read back with Kafka's own client from a one-node KRaft cluster of its own. */
@QuarkusTest
class KafkaDestinationTest {
    private static EngineServer kafka;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EngineServer.kafka(19092);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) { // null when the test was skipped for want of Kafka's jars
            kafka.close();
        }
    }

    @Test
    void eachKeysEventsArriveInOrderInOnePartitionWithTheirAttributesAndBytes() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "kafka");
        String topic = "orders-" + fixture.suffix();
        createTopic(topic, 3, Map.of());
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.KAFKA)
                .kafka(new KafkaSettings().topic(topic).key("/customer").maxInFlight(1)));

        List<Destinations.Sent> sent =
                fixture.publish(40, "order.placed", "{\"n\":%d,\"customer\":\"c%<d\",\"text\":\"caf\u00e9\"}");
        fixture.awaitStates(DeliveryState.DELIVERED, 40);
        List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 40);
        assertEquals(40, records.size());

        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Integer> lastOfKey = new HashMap<>();
        Map<String, Destinations.Sent> byCeId = new HashMap<>();
        sent.forEach(event -> byCeId.put(event.ceId(), event));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String ceId = header(record, "ce_id");
            Destinations.Sent event = byCeId.get(ceId);
            int n = sent.indexOf(event);
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertEquals("c" + n, key, "the key is the value at /customer");
            assertEquals(event.data(), new String(record.value(), StandardCharsets.UTF_8), "value bytes");
            assertEquals("1.0", header(record, "ce_specversion"));
            assertEquals("order.placed", header(record, "ce_type"));
            assertEquals("/tests/destinations", header(record, "ce_source"));
            assertEquals("customer-7", header(record, "ce_subject"));
            assertEquals("eu west", header(record, "ce_region"));
            assertEquals("application/json", header(record, "content-type"));
            assertEquals(event.heraldId(), header(record, "herald-event-id"));
            partitionOfKey.merge(key, record.partition(), (a, b) -> {
                assertEquals(a, b, "one key, one partition");
                return a;
            });
            lastOfKey.merge(key, n, (previous, next) -> {
                assertTrue(next > previous, "acceptance order within a key");
                return next;
            });
        }
        Attempt attempt = fixture.attempts(sent.get(0)).get(0);
        assertTrue(
                attempt.getResponseExcerpt().matches("topic " + topic + " partition \\d offset \\d+"),
                attempt.getResponseExcerpt());
    }

    @Test
    void aClusterThatIsDownIsRetriedUntilItIsBackAndEachRecordIsWrittenOnce() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "kafka");
        String topic = "outage-" + fixture.suffix();
        createTopic(topic, 1, Map.of());
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.KAFKA)
                .kafka(new KafkaSettings()
                        .topic(topic)
                        .key("subject")
                        .retrySchedule(List.of("PT0S", "PT2S", "PT4S", "PT8S", "PT15S"))));
        kafka.stop();
        try {
            // Two events of five attempts at most: the test profile disables a subscription after 10 failures in a row,
            // and an engine just started may still refuse a few (JetStream recovering its streams, say).
            List<Destinations.Sent> sent = fixture.publish(2, "order.paid", "{\"n\":%d}");
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.count(DeliveryState.RETRYING) == 2);
            Attempt failed = fixture.attempts(sent.get(0)).get(0);
            assertEquals(Attempt.OutcomeEnum.FAILED, failed.getOutcome());
            System.out.printf("[kafka] while down: %s%n", failed.getError());
        } finally {
            kafka.start();
        }
        fixture.awaitStates(DeliveryState.DELIVERED, 2);
        assertEquals(2, consume(topic, 3).size(), "each event written once");
    }

    @Test
    void aRecordTheTopicCannotTakeIsDeadLettered() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "kafka");
        String topic = "small-" + fixture.suffix();
        createTopic(topic, 1, Map.of("max.message.bytes", "200"));
        fixture.subscribe(
                new SubscriptionIn().kind(SubscriptionIn.KindEnum.KAFKA).kafka(new KafkaSettings().topic(topic)));
        List<Destinations.Sent> sent =
                fixture.publish(1, "order.large", "{\"n\":%d,\"pad\":\"" + "x".repeat(500) + "\"}");
        fixture.awaitStates(DeliveryState.EXHAUSTED, 1);
        List<Attempt> attempts = fixture.attempts(sent.get(0));
        assertEquals(1, attempts.size(), "a permanent failure is not retried: " + attempts);
        assertTrue(
                attempts.get(0).getError().contains("RecordTooLarge"),
                attempts.get(0).getError());
        fixture.awaitExhaustedNotice(sent.get(0));
    }

    private static void createTopic(String name, int partitions, Map<String, String> config) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port());
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
                    .all()
                    .get();
        }
    }

    /** The topic's records, up to {@code expected} (waits for them), from every partition. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "herald-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(expected > 10 ? 30 : 10).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
