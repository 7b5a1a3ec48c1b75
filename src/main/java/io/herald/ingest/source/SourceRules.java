package io.herald.ingest.source;

import io.herald.ingest.source.SourceService.SourceIn;
import io.herald.platform.problem.Violations;
import io.herald.topic.Topics;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/** What makes a source's settings valid: each rule adds a violation with the field's pointer; the limits are the columns'. */
final class SourceRules {
    private SourceRules() {}

    /** A source's kind and signature tolerance once its settings hold. */
    record Checked(Source.Kind kind, Duration tolerance) {}

    /** Checks every setting of a new source; 422 naming each that is wrong. */
    static Checked check(SourceIn in) {
        Violations violations = new Violations();
        Source.Kind kind = kind(in.kind(), violations);
        if (in.topic() == null || in.topic().isEmpty()) {
            violations.add("/topic", "is required: the topic the webhooks become events on");
        }
        if (in.secret() != null && (in.secret().length() < 8 || in.secret().length() > 500)) {
            violations.add("/secret", "must be 8 to 500 characters (omit it to have one generated)");
        }
        if (kind == Source.Kind.STANDARD_WEBHOOKS && in.secret() != null && !validWhsec(in.secret())) {
            violations.add("/secret", "must be a Standard Webhooks secret: whsec_ and base64");
        }
        if (kind == Source.Kind.HMAC) {
            if (in.hmac() == null
                    || in.hmac().header() == null
                    || in.hmac().header().isBlank()) {
                violations.add(
                        "/hmac/header", "is required for a generic HMAC source: the header carrying the signature");
            } else {
                if (in.hmac().algorithm() != null
                        && !List.of("sha256", "sha512").contains(in.hmac().algorithm())) {
                    violations.add("/hmac/algorithm", "must be sha256 or sha512");
                }
                if (in.hmac().encoding() != null
                        && !List.of("hex", "base64").contains(in.hmac().encoding())) {
                    violations.add("/hmac/encoding", "must be hex or base64");
                }
            }
        } else if (in.hmac() != null) {
            violations.add("/hmac", "only generic HMAC sources take HMAC settings");
        }
        if (in.typePointer() != null
                && !in.typePointer().isEmpty()
                && !in.typePointer().startsWith("/")) {
            violations.add("/typePointer", "must be a JSON pointer such as /event/type");
        }
        if (in.topic() != null && Topics.isSystem(in.topic())) {
            violations.add("/topic", "'" + in.topic() + "' is a system topic: only Herald publishes to it");
        }
        maxLength("/name", in.name(), 200, violations);
        maxLength("/typeHeader", in.typeHeader(), 100, violations);
        maxLength("/typePointer", in.typePointer(), 200, violations);
        maxLength("/dedupHeader", in.dedupHeader(), 100, violations);
        if (in.hmac() != null) {
            maxLength("/hmac/header", in.hmac().header(), 100, violations);
            maxLength("/hmac/prefix", in.hmac().prefix(), 50, violations);
        }
        Duration tolerance = Duration.ofMinutes(5);
        if (in.tolerance() != null) {
            try {
                tolerance = Duration.parse(in.tolerance());
                if (tolerance.isNegative() || tolerance.compareTo(Duration.ofHours(1)) > 0) {
                    violations.add("/tolerance", "must be between PT0S and PT1H");
                }
            } catch (DateTimeParseException e) {
                violations.add("/tolerance", "must be an ISO-8601 duration such as PT5M");
            }
        }
        violations.throwIfAny();
        return new Checked(kind, tolerance);
    }

    static void maxLength(String pointer, String value, int max, Violations violations) {
        if (value != null && value.length() > max) {
            violations.add(pointer, "must be at most " + max + " characters");
        }
    }

    static Source.Kind kind(String kind, Violations violations) {
        if (kind == null) {
            violations.add("/kind", "is required: github, stripe, standard-webhooks or hmac");
            return null;
        }
        return switch (kind) {
            case "github" -> Source.Kind.GITHUB;
            case "stripe" -> Source.Kind.STRIPE;
            case "standard-webhooks" -> Source.Kind.STANDARD_WEBHOOKS;
            case "hmac" -> Source.Kind.HMAC;
            default -> {
                violations.add("/kind", "'" + kind + "' is not github, stripe, standard-webhooks or hmac");
                yield null;
            }
        };
    }

    static boolean validWhsec(String secret) {
        try {
            return secret.startsWith("whsec_") && Base64.getDecoder().decode(secret.substring(6)).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
