package io.herald.schema;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Schema registry settings. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.schema")
public interface SchemaConfig {

    /** Most violations listed when an event does not match its schema; the rest are counted. */
    @WithDefault("100")
    int maxReportedViolations();

    /**
     * How long an instance keeps using the latest version it looked up before looking again. Another instance's new
     * version is used after at most this long.
     */
    @WithDefault("5s")
    Duration latestVersionCacheTtl();

    /**
     * Pattern-matching units one event's validation may use: each match of a schema pattern costs the pattern's expanded
     * size times the string's length (a 1,000-state pattern against a 20,000-character string is the default's worth,
     * a fraction of a second). Beyond it the event is refused (422).
     */
    @WithDefault("20000000")
    long patternBudget();

    /** How many compiled schemas are kept in memory. */
    @WithDefault("10000")
    long compiledCacheSize();
}
