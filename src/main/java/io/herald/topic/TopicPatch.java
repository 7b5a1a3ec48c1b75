package io.herald.topic;

/** The body of {@code PATCH /api/v1/topics/{name}}: fields present are changed, absent ones kept. */
public record TopicPatch(String description, String owner, String retention, CompatibilityMode compatibility) {}
