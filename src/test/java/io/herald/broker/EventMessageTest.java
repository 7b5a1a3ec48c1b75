package io.herald.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.amqp.AmqpMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event survives the trip through its queue message whole, in the CloudEvents AMQP binding's terms. */
class EventMessageTest {

    @Test
    void everyAttributeExtensionAndMarkerRoundTrips() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("partitionkey", "customer-42");
        extensions.put("priority", 3);
        extensions.put("urgent", true);
        EventMessage event = new EventMessage(
                "evt_1",
                "dlv_1",
                "order.placed",
                "ce-1",
                "/shop",
                "order.placed.v1",
                "orders/7",
                "2026-12-07T10:15:30Z",
                "application/json",
                "{\"n\":1}",
                2,
                extensions,
                true,
                true,
                1_700_000_000_000L);

        AmqpMessage message = event.encode();

        assertEquals(event, EventMessage.decode(message));
        assertEquals("evt_1", message.id());
        assertEquals("application/json", message.contentType());
        assertEquals("customer-42", message.applicationProperties().getString("cloudEvents_partitionkey"));
        assertEquals(3, message.applicationProperties().getInteger("cloudEvents_priority"));
        assertEquals("1.0", message.applicationProperties().getString("cloudEvents_specversion"));
    }

    @Test
    void optionalAttributesStayAbsent() {
        EventMessage event = new EventMessage(
                "evt_2",
                "dlv_2",
                "t",
                "ce-2",
                "/s",
                "t",
                null,
                null,
                "application/json",
                "[]",
                null,
                Map.of(),
                false,
                false,
                0);

        EventMessage decoded = EventMessage.decode(event.encode());

        assertEquals(event, decoded);
        assertNull(event.encode().applicationProperties().getValue("cloudEvents_subject"));
        assertNull(event.encode().applicationProperties().getValue("herald_replay"));
    }
}
