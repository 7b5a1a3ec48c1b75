package io.herald.broker;

/** The broker cannot be reached right now; the caller keeps its work and tries again later. */
public class BrokerUnavailableException extends io.herald.platform.problem.ServiceUnavailableException {
    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
