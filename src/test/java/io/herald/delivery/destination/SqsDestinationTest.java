package io.herald.delivery.destination;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.client.model.Attempt;
import io.herald.client.model.DeliveryState;
import io.herald.client.model.SqsSettings;
import io.herald.client.model.SubscriptionIn;
import io.herald.testing.EngineServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A subscription delivered to SQS, read back with the AWS SDK from an ElasticMQ server of its own. */
@QuarkusTest
class SqsDestinationTest {
    private static EngineServer elasticmq;
    private static SqsClient sqs;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startElasticMq() throws Exception {
        elasticmq = EngineServer.elasticmq(19324);
        sqs = SqsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + elasticmq.port()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopElasticMq() throws Exception {
        if (elasticmq != null) { // null when the test was skipped for want of ElasticMQ's jars
            sqs.close();
            elasticmq.close();
        }
    }

    @Test
    void aFifoQueueGetsEachGroupInOrderWithTheAttributesAndBody() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "sqs");
        String queueUrl = queue("orders-" + fixture.suffix() + ".fifo");
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.SQS)
                .sqs(new SqsSettings().queueUrl(queueUrl).groupKey("/customer").maxInFlight(1)));

        List<Destinations.Sent> sent =
                fixture.publish(20, "order.placed", "{\"n\":%d,\"customer\":\"c%<d\",\"text\":\"caf\u00e9\"}");
        fixture.awaitStates(DeliveryState.DELIVERED, 20);
        List<Message> messages = receive(queueUrl, 20);
        assertEquals(20, messages.size());
        Map<String, Integer> lastOfGroup = new HashMap<>();
        for (Message message : messages) {
            String ceId = message.messageAttributes().get("ce-id").stringValue();
            Destinations.Sent event =
                    sent.stream().filter(s -> s.ceId().equals(ceId)).findFirst().orElseThrow();
            int n = sent.indexOf(event);
            assertEquals(event.data(), message.body(), "body");
            assertEquals(
                    "order.placed", message.messageAttributes().get("ce-type").stringValue());
            assertEquals(
                    "/tests/destinations",
                    message.messageAttributes().get("ce-source").stringValue());
            assertEquals(
                    "1.0", message.messageAttributes().get("ce-specversion").stringValue());
            assertEquals(
                    "customer-7", message.messageAttributes().get("ce-subject").stringValue());
            assertEquals("eu west", message.messageAttributes().get("ce-region").stringValue());
            assertEquals(
                    "application/json",
                    message.messageAttributes().get("content-type").stringValue());
            assertEquals(
                    event.heraldId(),
                    message.messageAttributes().get("herald-event-id").stringValue());
            String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            assertEquals("c" + n, group, "the group is the value at /customer");
            lastOfGroup.merge(group, n, (previous, next) -> {
                assertTrue(next > previous, "acceptance order within a group");
                return next;
            });
        }
        Attempt attempt = fixture.attempts(sent.get(0)).get(0);
        assertTrue(attempt.getResponseExcerpt().startsWith("message "), attempt.getResponseExcerpt());
    }

    @Test
    void aServerThatIsDownIsRetriedUntilItIsBack() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "sqs");
        String queueUrl = queue("outage-" + fixture.suffix());
        fixture.subscribe(new SubscriptionIn()
                .kind(SubscriptionIn.KindEnum.SQS)
                .sqs(new SqsSettings()
                        .queueUrl(queueUrl)
                        .retrySchedule(List.of("PT0S", "PT2S", "PT4S", "PT8S", "PT15S"))));
        elasticmq.stop();
        try {
            // Two events of five attempts at most: the test profile disables a subscription after 10 failures in a row,
            // and an engine just started may still refuse a few (JetStream recovering its streams, say).
            List<Destinations.Sent> sent = fixture.publish(2, "order.paid", "{\"n\":%d}");
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.count(DeliveryState.RETRYING) == 2);
            Attempt failed = fixture.attempts(sent.get(0)).get(0);
            assertEquals(Attempt.OutcomeEnum.FAILED, failed.getOutcome());
            System.out.printf("[sqs] while down: %s%n", failed.getError());
        } finally {
            elasticmq.start();
        }
        fixture.awaitStates(DeliveryState.DELIVERED, 2);
        assertEquals(2, receive(queueUrl, 3).size(), "each event sent once");
    }

    @Test
    void aMessageSqsRefusesIsDeadLettered() throws Exception {
        Destinations.Fixture fixture = Destinations.fixture(base, "sqs");
        String queueUrl = queue("large-" + fixture.suffix());
        fixture.subscribe(
                new SubscriptionIn().kind(SubscriptionIn.KindEnum.SQS).sqs(new SqsSettings().queueUrl(queueUrl)));
        // Over SQS's 256 KiB, within Herald's 1 MiB.
        List<Destinations.Sent> sent =
                fixture.publish(1, "order.large", "{\"n\":%d,\"pad\":\"" + "x".repeat(300_000) + "\"}");
        fixture.awaitStates(DeliveryState.EXHAUSTED, 1);
        List<Attempt> attempts = fixture.attempts(sent.get(0));
        assertEquals(
                1,
                attempts.size(),
                "a permanent failure is not retried: " + attempts.get(0).getError());
        fixture.awaitExhaustedNotice(sent.get(0));
    }

    private static String queue(String name) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (name.endsWith(".fifo")) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return sqs.createQueue(CreateQueueRequest.builder()
                        .queueName(name)
                        .attributes(attributes)
                        .build())
                .queueUrl();
    }

    /** Up to {@code expected} messages of the queue, in the order SQS hands them out (waits for them). */
    private static List<Message> receive(String queueUrl, int expected) {
        List<Message> received = new ArrayList<>();
        long deadline =
                System.nanoTime() + Duration.ofSeconds(expected > 10 ? 30 : 10).toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                    .messages();
            for (Message message : batch) {
                received.add(message);
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }
}
