package io.herald.platform.problem;

/** One thing wrong with the input: a JSON pointer (RFC 6901) into the request, and what is wrong there. */
public record FieldError(String pointer, String detail) {

    /** Escapes one reference token of a JSON pointer ({@code ~} and {@code /}). */
    public static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
