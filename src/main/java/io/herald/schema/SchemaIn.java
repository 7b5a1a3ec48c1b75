package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of a registration or compatibility check: the JSON Schema document. */
public record SchemaIn(JsonNode schema) {}
