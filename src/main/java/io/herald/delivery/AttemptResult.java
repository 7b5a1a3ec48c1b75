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
        /** No credentials to present: an OAuth2 token was refused or unreachable, or stored ones are unreadable. */
        AUTHENTICATION,
        /** The subscription's transformation failed on the event; nothing was sent. */
        TRANSFORMATION,
        OTHER
    }

    /** An engine's answer to a delivered attempt, kept as the excerpt. */
    public static AttemptResult answered(Instant at, long durationMs, String answer) {
        return new AttemptResult(at, durationMs, null, null, null, answer, null);
    }

    /** An attempt that got no answer, or one that refused it. */
    public static AttemptResult failed(Instant at, long durationMs, ErrorClass errorClass, String error) {
        return new AttemptResult(at, durationMs, null, errorClass, error, null, null);
    }

    /** Milliseconds since {@code startNanos} ({@link System#nanoTime()}). */
    public static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }
}
