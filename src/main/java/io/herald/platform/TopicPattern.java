package io.herald.platform;

import java.util.regex.Pattern;

/**
 * Which topics a subscription takes: an exact name ({@code order.placed}) or a pattern of dot-separated segments where
 * {@code *} stands for exactly one segment ({@code order.*}) and a final {@code **} for one or more
 * ({@code billing.**}).
 */
public final class TopicPattern {
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*|\\*|\\*\\*");

    private final String[] segments;

    private TopicPattern(String pattern) {
        this.segments = pattern.split("\\.", -1);
    }

    /** Null if valid, otherwise why not. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "is required: a topic name such as order.placed or a pattern such as order.*";
        }
        if (pattern.length() > 200) {
            return "must be at most 200 characters";
        }
        String[] segments = pattern.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (!SEGMENT.matcher(segments[i]).matches()) {
                return "segment '" + segments[i]
                        + "' must be a lowercase name, '*' (one segment) or a final '**' (one or more)";
            }
            if (segments[i].equals("**") && i != segments.length - 1) {
                return "'**' may only be the last segment";
            }
        }
        return null;
    }

    public static TopicPattern of(String pattern) {
        return new TopicPattern(pattern);
    }

    public boolean matches(String topic) {
        String[] parts = topic.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals("**")) {
                return parts.length > i;
            }
            if (i >= parts.length || !segments[i].equals("*") && !segments[i].equals(parts[i])) {
                return false;
            }
        }
        return parts.length == segments.length;
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
