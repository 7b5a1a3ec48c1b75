package io.herald.broker.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import io.herald.broker.EventMessage;
import io.vertx.amqp.AmqpMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event's queue message in AMQP 0-9-1: readable by 0-9-1 consumers, and whole again when Herald takes it back. */
class RabbitMqMessagesTest {
    private static EventMessage event() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("partitionkey", "customer-42");
        extensions.put("priority", 3);
        extensions.put("urgent", true);
        return new EventMessage(
                "evt_1",
                "dlv_1",
                "order.placed",
                "ce-1",
                "/shop",
                "order.placed.v1",
                "orders/7",
                "2026-12-07T10:15:30Z",
                "application/json",
                "{\"n\":\"ü\"}",
                2,
                extensions,
                true,
                false,
                1_700_000_000_123L);
    }

    @Test
    void anEventRoundTripsThroughItsAmqp091FormWhole() {
        AmqpMessage sent = event().encode();

        AMQP.BasicProperties properties = RabbitMqMessages.properties(sent);
        byte[] body = RabbitMqMessages.body(sent);

        assertEquals(event(), EventMessage.decode(RabbitMqMessages.message(wire(properties), body)));
        assertEquals(
                1_700_000_000_123L,
                RabbitMqMessages.message(wire(properties), body).creationTime());
    }

    @Test
    void anAmqp091ConsumerReadsTheAttributesAsHeadersAndTheDataAsBody() {
        AMQP.BasicProperties properties = RabbitMqMessages.properties(event().encode());

        assertEquals(2, properties.getDeliveryMode(), "persistent");
        assertEquals("evt_1", properties.getMessageId());
        assertEquals("application/json", properties.getContentType());
        assertEquals(1_700_000_000_000L, properties.getTimestamp().getTime() / 1000 * 1000);
        assertEquals("ce-1", properties.getHeaders().get("cloudEvents_id"));
        assertEquals("customer-42", properties.getHeaders().get("cloudEvents_partitionkey"));
        assertEquals(3, properties.getHeaders().get("cloudEvents_priority"));
        assertEquals(true, properties.getHeaders().get("herald_replay"));
        assertArrayEquals("{\"n\":\"ü\"}".getBytes(StandardCharsets.UTF_8), RabbitMqMessages.body(event().encode()));
    }

    @Test
    void aMessageFromAnotherAmqp091PublisherReadsFromItsHeaders() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("herald_delivery_id", LongStringHelper.asLongString("dlv_9"));
        headers.put("n", 5);
        headers.put("x-death", "ignored");
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId("m-1")
                .contentType("text/plain")
                .timestamp(new Date(1_700_000_000_000L))
                .headers(headers)
                .build();

        AmqpMessage message = RabbitMqMessages.message(properties, "hi".getBytes(StandardCharsets.UTF_8));

        assertEquals("dlv_9", message.applicationProperties().getString("herald_delivery_id"));
        assertEquals(5, message.applicationProperties().getInteger("n"));
        assertTrue(!message.applicationProperties().containsKey("x-death"));
        assertEquals("m-1", message.id());
        assertEquals("text/plain", message.contentType());
        assertEquals(1_700_000_000_000L, message.creationTime());
        assertEquals("hi", message.bodyAsBinary().toString());
    }

    @Test
    void aMessageThatIsNotDurableIsRefused() {
        AmqpMessage volatileMessage = AmqpMessage.create()
                .id("m")
                .withBufferAsBody(io.vertx.core.buffer.Buffer.buffer("x"))
                .build();

        assertThrows(IllegalArgumentException.class, () -> RabbitMqMessages.properties(volatileMessage));
    }

    @Test
    void theAmqp10SectionsReadAlsoFromLongStringHeaders() {
        AMQP.BasicProperties properties = wire(RabbitMqMessages.properties(event().encode()));
        Map<String, Object> headers = new LinkedHashMap<>(properties.getHeaders());
        headers.replaceAll(
                (name, value) -> value instanceof byte[] bytes ? LongStringHelper.asLongString(bytes) : value);

        AmqpMessage message = RabbitMqMessages.message(
                properties.builder().headers(headers).build(), RabbitMqMessages.body(event().encode()));

        assertEquals(event(), EventMessage.decode(message));
        assertEquals(1_700_000_000_123L, message.creationTime());
    }

    /** What a consumer gets: the properties written to a content-header frame and read back by the client itself. */
    private static AMQP.BasicProperties wire(AMQP.BasicProperties sent) {
        try {
            Frame frame = sent.toFrame(1, 0);
            return (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(frame.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
