package io.herald.topic;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Defaults for new topics. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.topic")
public interface TopicConfig {

    /** How long a topic keeps its events when it does not say ({@code HERALD_TOPIC_DEFAULT_RETENTION}). */
    @WithDefault("P7D")
    Duration defaultRetention();

    /** Schema compatibility mode of a topic that does not say ({@code HERALD_TOPIC_DEFAULT_COMPATIBILITY}). */
    @WithDefault("BACKWARD")
    CompatibilityMode defaultCompatibility();
}
