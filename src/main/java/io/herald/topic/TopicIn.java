package io.herald.topic;

/** The body of {@code POST /api/v1/topics}. Absent optional fields take the configured defaults. */
public record TopicIn(
        String name, String description, String owner, String retention, CompatibilityMode compatibility) {}
