package io.herald.platform.embedded;

/**
 * A start-up problem the operator can fix, reported as one line that says what is wrong and what to do.
 * {@link io.herald.platform.HeraldMain} prints the message and exits without a stack trace.
 */
public class StartupFailure extends RuntimeException {
    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
