package io.herald.transform;

/** A transformation that does not compile or did not run to a usable result: what went wrong, and where. */
public class TransformationException extends Exception {
    private final String code;
    private final int position;

    TransformationException(String code, int position, String message) {
        super(message);
        this.code = code;
        this.position = position;
    }

    /** JSONata's error code (S0203, T2001, D2014, ...), or Herald's for a result it cannot deliver; null if none. */
    public String code() {
        return code;
    }

    /** The character offset in the expression where JSONata noticed the error; -1 when it names none. */
    public int position() {
        return position;
    }

    /** The message with its code and position, as the API and the delivery's record show it. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (position >= 0) {
            text.append("at position ").append(position).append(": ");
        }
        text.append(getMessage());
        if (code != null && !getMessage().startsWith(code)) {
            text.append(" (").append(code).append(')');
        }
        return text.toString();
    }
}
