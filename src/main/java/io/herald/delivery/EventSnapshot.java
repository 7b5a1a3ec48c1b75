package io.herald.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a webhook request carries of one event, read from its queue message or from the event store. */
public record EventSnapshot(
        String eventId,
        String topic,
        String ceId,
        String source,
        String type,
        String subject,
        String time,
        String dataContentType,
        String data,
        ObjectNode extensions) {}
