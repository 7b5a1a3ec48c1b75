package io.herald.broker;

import static io.herald.broker.BrokerQueueTest.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * On a real RabbitMQ, the queue Herald declares is durable and dead-letters into its own dead-letter queue. Checked
 * from outside over AMQP 0-9-1: RabbitMQ refuses a re-declaration whose arguments differ from the queue's, so a
 * declaration with exactly the expected arguments succeeding, and one with durable=false failing, proves both.
 */
@QuarkusTest
@Tag("external")
@EnabledIfEnvironmentVariable(named = "HERALD_BROKER_FLAVOUR", matches = "rabbitmq", disabledReason = "needs RabbitMQ")
class RabbitMqTopologyTest {
    @Inject
    BrokerClient broker;

    @Inject
    BrokerConfig config;

    @Test
    void declaredQueueIsDurableWithItsDeadLetterQueue() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(broker::isConnected);
        String queue = "herald.sub.rabbit-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLetters = BrokerTopology.deadLetterQueue(queue);
        join(broker.sender(queue));

        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.connectHost());
        factory.setPort(config.connectPort());
        factory.setVirtualHost(config.virtualHost());
        config.user().ifPresent(factory::setUsername);
        config.password().ifPresent(factory::setPassword);
        try (Connection connection = factory.newConnection()) {
            try (Channel channel = connection.createChannel()) {
                channel.queueDeclare(
                        queue,
                        true,
                        false,
                        false,
                        Map.of(
                                "x-queue-type",
                                "quorum",
                                "x-dead-letter-exchange",
                                "",
                                "x-dead-letter-routing-key",
                                deadLetters,
                                "x-delivery-limit",
                                10));
                channel.queueDeclare(deadLetters, true, false, false, Map.of("x-queue-type", "quorum"));
            }
            Channel nonDurable = connection.createChannel();
            IOException refused = assertThrows(
                    IOException.class, () -> nonDurable.queueDeclare(queue, false, false, false, Map.of()));
            assertTrue(
                    String.valueOf(refused.getCause()).contains("PRECONDITION_FAILED"),
                    String.valueOf(refused.getCause()));
            try (Channel channel = connection.createChannel()) {
                assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());
            }
        }
    }
}
