package io.herald.schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A sample payload matched: against which version (absent when the topic has no schema). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationOut(boolean valid, String topic, Integer version) {}
