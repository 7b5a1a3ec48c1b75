package io.herald.schema;

import io.herald.platform.problem.FieldError;
import java.util.List;

/**
 * The outcome of checking one payload: the version it was checked against (null when the topic has no schema, which
 * accepts any JSON) and every violation found, capped at {@code herald.schema.max-reported-violations}.
 */
public record SchemaCheck(Integer version, List<FieldError> violations, int totalViolations) {

    public boolean valid() {
        return totalViolations == 0;
    }
}
