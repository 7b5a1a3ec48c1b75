package io.herald.platform.problem;

import java.util.List;

/** A refusal the services raise on purpose; the message is the problem's {@code detail}, safe to show. */
public class ApiProblem extends RuntimeException {
    private final ProblemType type;
    private final List<FieldError> errors;

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiProblem(ProblemType type, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(ProblemType.NOT_FOUND, what + " '" + id + "' does not exist");
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).pointer() + ": " + errors.get(0).detail()
                : errors.size() + " fields are invalid";
        return new ApiProblem(ProblemType.VALIDATION_FAILED, detail, errors);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
