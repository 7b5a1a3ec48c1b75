package io.herald.topic;

import io.herald.platform.problem.Violations;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** What makes a topic's fields valid. Each rule adds a violation with the field's pointer and a sentence. */
final class TopicRules {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;
    static final int MAX_OWNER_LENGTH = 200;
    static final Duration MIN_RETENTION = Duration.ofHours(1);
    static final Duration MAX_RETENTION = Duration.ofDays(3650);
    /** System topics such as {@code herald.delivery.exhausted} live here. */
    static final String RESERVED_PREFIX = "herald.";

    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private TopicRules() {}

    static void checkName(String name, Violations violations) {
        if (name == null || name.isEmpty()) {
            violations.add("/name", "is required");
            return;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            violations.add("/name", "must be at most " + MAX_NAME_LENGTH + " characters");
            return;
        }
        String[] segments = name.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                violations.add(
                        "/name",
                        "must be dot-separated segments without empty ones (no leading, trailing or double dots)");
                return;
            }
            if (!SEGMENT.matcher(segments[i]).matches()) {
                violations.add(
                        "/name",
                        "segment '" + segments[i] + "' must be lowercase letters and digits, "
                                + "optionally joined by single hyphens (e.g. order.placed, billing.invoice-paid)");
                return;
            }
        }
        if (Topics.isSystem(name)) {
            violations.add("/name", "names under 'herald.' are reserved for Herald's own system topics");
        }
    }

    static void checkText(String pointer, String value, int maxLength, Violations violations) {
        if (value != null && value.length() > maxLength) {
            violations.add(pointer, "must be at most " + maxLength + " characters");
        }
    }

    /** Parses an ISO-8601 duration such as {@code P7D} or {@code PT12H}; empty if invalid (a violation is added). */
    static Optional<Duration> parseRetention(String value, Violations violations) {
        Duration retention;
        try {
            retention = Duration.parse(value);
        } catch (DateTimeParseException e) {
            violations.add("/retention", "must be an ISO-8601 duration such as P7D or PT12H, not '" + value + "'");
            return Optional.empty();
        }
        if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(MAX_RETENTION) > 0) {
            violations.add("/retention", "must be between " + format(MIN_RETENTION) + " and " + format(MAX_RETENTION));
            return Optional.empty();
        }
        return Optional.of(retention);
    }

    /** Whole days read as {@code P7D}; anything else in Java's {@code PT..H..M..S} form. */
    static String format(Duration duration) {
        if (!duration.isZero() && duration.toSeconds() % 86_400 == 0) {
            return "P" + duration.toDays() + "D";
        }
        return duration.toString();
    }
}
