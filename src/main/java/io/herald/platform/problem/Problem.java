package io.herald.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem details body, with Herald's {@code errors} and {@code errorId} extensions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        String errorId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
