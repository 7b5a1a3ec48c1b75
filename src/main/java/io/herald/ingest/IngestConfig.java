package io.herald.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Ingest limits and group-commit settings. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.ingest")
public interface IngestConfig {

    /** Largest event data, in bytes (413 beyond). */
    @WithDefault("1048576")
    int maxEventBytes();

    /** Most events in one batch request (413 beyond). */
    @WithDefault("500")
    int maxBatchEvents();

    /** Largest batch request body, in bytes (413 beyond). */
    @WithDefault("5242880")
    int maxBatchBytes();

    /**
     * Deepest nesting of arrays and objects in an event's data (400 beyond). It bounds the work of validating and
     * serving an event, and keeps every stored event readable inside a page of events.
     */
    @WithDefault("64")
    int maxDataDepth();

    /** How long a (source, id) pair is remembered: a re-post within it is answered with the original event. */
    @WithDefault("PT24H")
    Duration dedupWindow();

    /** Most events stored by one database commit. */
    @WithDefault("1000")
    int maxGroupEvents();

    /** Threads that commit groups; two keep one group filling while the other commits. */
    @WithDefault("2")
    int committerThreads();

    /** Requests waiting for a commit before ingest answers 503. */
    @WithDefault("20000")
    int maxQueuedRequests();
}
