package io.herald.platform.problem;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request, so one refusal lists them all. */
public final class Violations {
    private final List<FieldError> errors = new ArrayList<>();

    public Violations add(String pointer, String detail) {
        errors.add(new FieldError(pointer, detail));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a 422 naming every violation, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }
}
