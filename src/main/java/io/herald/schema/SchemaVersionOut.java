package io.herald.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaVersionOut(
        String topic,
        int version,
        String dialect,
        JsonNode schema,
        String fingerprint,
        Instant createdAt,
        boolean deleted,
        Instant deletedAt) {}
