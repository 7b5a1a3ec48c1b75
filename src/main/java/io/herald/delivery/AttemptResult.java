package io.herald.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * One HTTP attempt, as recorded: its status (null when no answer came), the class of error, the first 4 KiB of the
 * answer, and a Retry-After the receiver asked for.
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

    public boolean gone() {
        return status != null && status == 410;
    }
}
