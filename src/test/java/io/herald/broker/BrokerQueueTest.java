package io.herald.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.TestAmqpConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Herald declares a subscription queue, sends through its sender and an independent AMQP 1.0 consumer reads it; a
 * rejected message ends in the queue's dead-letter queue. Runs on the embedded Artemis and again on RabbitMQ.
 */
@QuarkusTest
@Tag("external")
class BrokerQueueTest {
    @Inject
    BrokerClient broker;

    @Inject
    BrokerConfig config;

    @Inject
    Vertx vertx;

    @BeforeEach
    void connected() {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
    }

    private static String queue() {
        return "herald.sub.test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void sentMessageReachesAConsumerOfTheQueue() {
        String queue = queue();
        QueueSender sender = join(broker.sender(queue));
        join(sender.send(AmqpMessage.create()
                .durable(true)
                .id("evt_1")
                .withBufferAsBody(Buffer.buffer("{\"order\":42}"))
                .build()));

        try (TestAmqpConsumer consumer = TestAmqpConsumer.connect(vertx, config)) {
            AmqpMessage received = consumer.receiveOne(
                    broker.topology().address(queue), Duration.ofSeconds(10), AmqpMessage::accepted);
            assertNotNull(received, "the message is in the queue");
            assertEquals("{\"order\":42}", received.bodyAsBinary().toString());
            assertEquals("evt_1", received.id());
        }
    }

    @Test
    void rejectedMessageGoesToTheDeadLetterQueue() {
        String queue = queue();
        join(join(broker.sender(queue))
                .send(AmqpMessage.create()
                        .durable(true)
                        .id("evt_poison")
                        .withBufferAsBody(Buffer.buffer("poison"))
                        .build()));

        try (TestAmqpConsumer consumer = TestAmqpConsumer.connect(vertx, config)) {
            assertNotNull(consumer.receiveOne(
                    broker.topology().address(queue), Duration.ofSeconds(10), AmqpMessage::rejected));
            AmqpMessage deadLetter = consumer.receiveOne(
                    broker.topology().address(BrokerTopology.deadLetterQueue(queue)),
                    Duration.ofSeconds(10),
                    AmqpMessage::accepted);
            assertNotNull(deadLetter, "the rejected message is in " + BrokerTopology.deadLetterQueue(queue));
            assertEquals("poison", deadLetter.bodyAsBinary().toString());
        }
    }

    /** What a deletion relies on: the broker tells messages and consumers, or that the queue is gone; a second deletion succeeds. */
    @Test
    void inspectTellsMessagesConsumersAndAbsence() {
        String queue = queue();
        QueueSender sender = join(broker.sender(queue));
        for (int i = 0; i < 2; i++) {
            join(sender.send(AmqpMessage.create()
                    .durable(true)
                    .id("evt_" + i)
                    .withBufferAsBody(Buffer.buffer("{}"))
                    .build()));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> join(broker.inspect(queue)).orElseThrow().messages() == 2);
        assertEquals(0, join(broker.inspect(queue)).orElseThrow().consumers());

        try (TestAmqpConsumer consumer = TestAmqpConsumer.connect(vertx, config)) {
            consumer.attach(broker.topology().address(queue));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> join(broker.inspect(queue)).orElseThrow().consumers() == 1);
        }

        join(broker.delete(queue));
        assertTrue(join(broker.inspect(queue)).isEmpty(), "a deleted queue is reported absent");
        assertTrue(
                join(broker.inspect(BrokerTopology.deadLetterQueue(queue))).isEmpty(),
                "its dead-letter queue went with it");
        assertEquals(0L, join(broker.messageCount(queue)));
        join(broker.delete(queue)); // already gone: done
    }

    @Test
    void nonDurableMessagesAreRefused() {
        QueueSender sender = join(broker.sender(queue()));
        assertThrows(
                IllegalArgumentException.class,
                () -> join(sender.send(AmqpMessage.create()
                        .withBufferAsBody(Buffer.buffer("volatile"))
                        .build())));
    }

    static <T> T join(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
