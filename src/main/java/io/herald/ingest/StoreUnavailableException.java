package io.herald.ingest;

import io.herald.platform.problem.ServiceUnavailableException;

/** Events could not be stored (database down, or ingest saturated); nothing of the request was stored. */
public class StoreUnavailableException extends ServiceUnavailableException {
    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
