package io.herald.console;

import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import java.util.List;

/** A refusal shown inline on a console page, in the words the API would use. */
public record ConsoleProblem(String title, String detail, List<FieldError> errors) {

    public static ConsoleProblem of(ApiProblem problem) {
        return new ConsoleProblem(problem.type().title(), problem.getMessage(), problem.errors());
    }

    public static ConsoleProblem of(String title, String detail) {
        return new ConsoleProblem(title, detail, List.of());
    }
}
