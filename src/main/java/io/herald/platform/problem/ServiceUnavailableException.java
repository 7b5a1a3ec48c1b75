package io.herald.platform.problem;

/** A part Herald depends on (database, broker) cannot serve right now: 503, and the client retries. */
public class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String message) {
        super(message);
    }

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
