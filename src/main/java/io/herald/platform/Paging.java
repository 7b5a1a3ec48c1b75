package io.herald.platform;

import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import java.util.List;

/** Keyset pagination's {@code limit} query parameter, read the same way on every list. */
public final class Paging {
    private Paging() {}

    public static int limit(String limit, int defaultSize, int maxSize) {
        if (limit == null || limit.isEmpty()) {
            return defaultSize;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= maxSize) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.invalid(List.of(new FieldError(
                "/limit",
                "query parameter 'limit' must be a whole number between 1 and " + maxSize + ", not '" + limit + "'")));
    }
}
