package io.herald.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Broken JSON in the body: mapped like any Jackson parse error (400 with line and column). */
final class MalformedJsonException extends RuntimeException {
    MalformedJsonException(JsonProcessingException cause) {
        super(cause.getOriginalMessage(), cause);
    }
}
