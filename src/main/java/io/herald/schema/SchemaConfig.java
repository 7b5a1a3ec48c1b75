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

    /** How many compiled schemas are kept in memory. */
    @WithDefault("10000")
    long compiledCacheSize();
}
