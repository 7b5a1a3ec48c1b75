package io.herald.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt, as recorded: its HTTP status (null when no HTTP answer came), the class of error, the first 4 KiB of the
 * answer (for other destinations, the engine's answer), and a Retry-After the receiver asked for.
 */
public record AttemptResult(
        Instant at,
        long durationMs,
        Integer status,
        ErrorClass errorClass,
        String error,
        String responseExcerpt,
        Duration retryAfter) {

    /** Why an attempt failed, for operators and dashboards. */
    public enum ErrorClass {
        HTTP_STATUS,
        TIMEOUT,
        CONNECTION,
        DNS,
        TLS,
        BLOCKED,
        OTHER
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }
}
