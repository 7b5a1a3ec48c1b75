package io.herald.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;

/** One event as read from the request, before validation. {@code pointer} locates it in the request body. */
public record Draft(
        String ceId,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String dataContentType,
        JsonNode data,
        String dataText,
        Integer schemaVersion,
        ObjectNode extensions,
        String pointer,
        String dataPointer) {}
