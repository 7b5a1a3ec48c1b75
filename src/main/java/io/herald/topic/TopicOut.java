package io.herald.topic;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopicOut(
        String name,
        String description,
        String owner,
        String retention,
        CompatibilityMode compatibility,
        Instant createdAt,
        Instant updatedAt) {

    static TopicOut of(Topic topic) {
        return new TopicOut(
                topic.name,
                topic.description,
                topic.owner,
                TopicRules.format(Duration.ofSeconds(topic.retentionSeconds)),
                topic.compatibility,
                topic.createdAt,
                topic.updatedAt);
    }
}
