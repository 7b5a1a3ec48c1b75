package io.herald.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * An event about to be stored: its CloudEvents attributes, its data (JSON text as stored and delivered, and the
 * parsed tree used for validation and filters), and Herald's own id.
 *
 * @param id          Herald's id ({@code evt_...}), used in URLs and as the webhook id
 * @param ceId        the producer's CloudEvents id (equals {@code id} when the producer gave none)
 * @param payloadHash SHA-256 of the data as sent, to tell a harmless re-post (the same data) from a conflicting one
 */
public record NewEvent(
        String id,
        String topic,
        String ceId,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String dataContentType,
        String data,
        JsonNode dataNode,
        Integer schemaVersion,
        JsonNode extensions,
        String payloadHash) {}
