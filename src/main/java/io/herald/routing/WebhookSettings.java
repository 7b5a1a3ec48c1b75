package io.herald.routing;

import io.herald.platform.SsrfGuard;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Violations;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A webhook subscription's settings: what makes them valid (the URL, through the SSRF guard, the timeout, the retry
 * schedule, the limits, the format, custom headers), and how they are applied and shown.
 */
@Singleton
class WebhookSettings {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_HEADERS = 20;
    /** Headers Herald sets itself on every webhook request. */
    static final Set<String> RESERVED_HEADERS = Set.of(
            "host",
            "content-type",
            "content-length",
            "user-agent",
            "traceparent",
            "tracestate",
            "webhook-id",
            "webhook-timestamp",
            "webhook-signature",
            "connection",
            "transfer-encoding");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    private final SsrfGuard ssrf;

    WebhookSettings(SsrfGuard ssrf) {
        this.ssrf = ssrf;
    }

    void check(WebhookIn webhook, boolean creating, Violations violations) {
        if (webhook.url() != null || creating) {
            String problem = urlProblem(webhook.url());
            if (problem == null) {
                problem = ssrf.problem(webhook.url());
            }
            if (problem != null) {
                violations.add("/webhook/url", problem);
            }
        }
        if (webhook.timeout() != null) {
            try {
                Duration timeout = Duration.parse(webhook.timeout());
                if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                    violations.add("/webhook/timeout", "must be between PT1S and PT60S");
                }
            } catch (DateTimeParseException e) {
                violations.add(
                        "/webhook/timeout",
                        "must be an ISO-8601 duration such as PT15S, not '" + webhook.timeout() + "'");
            }
        }
        DeliveryLimits.check(webhook, "/webhook", violations);
        if (webhook.format() != null && format(webhook.format()) == null) {
            violations.add(
                    "/webhook/format",
                    "'" + webhook.format()
                            + "' is not standard-webhooks, cloudevents-binary or cloudevents-structured");
        }
        if (webhook.headers() != null) {
            if (webhook.headers().size() > MAX_HEADERS) {
                violations.add("/webhook/headers", "at most " + MAX_HEADERS + " headers");
            }
            webhook.headers().forEach((name, value) -> {
                String pointer = "/webhook/headers/" + FieldError.token(name);
                if (!HEADER_NAME.matcher(name).matches()) {
                    violations.add(pointer, "is not a valid HTTP header name");
                } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    violations.add(pointer, "is set by Herald itself and cannot be overridden");
                }
                if (value == null || value.length() > 1000 || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                    violations.add(pointer, "must be a single-line value of at most 1000 characters");
                }
            });
        }
    }

    /** A URL saved before credentials in URLs were refused is shown without them. */
    static String withoutCredentials(String url) {
        try {
            URI uri = new URI(url);
            return uri.getRawUserInfo() == null
                    ? url
                    : new URI(
                                    uri.getScheme(),
                                    null,
                                    uri.getHost(),
                                    uri.getPort(),
                                    uri.getRawPath(),
                                    uri.getRawQuery(),
                                    null)
                            .toString();
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }

    static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "is required: the receiver's http(s) URL";
        }
        try {
            URI uri = new URI(url);
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
                return "must be an http or https URL";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "must name a host";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not carry credentials (user:password@): a URL is shown wherever the subscription is; the "
                        + "signature authenticates Herald to the receiver, and custom headers carry anything else";
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return "port must be between 1 and 65535";
            }
            if (url.length() > 2048) {
                return "must be at most 2048 characters";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
    }

    static Subscription.Format format(String format) {
        return switch (format) {
            case "standard-webhooks" -> Subscription.Format.STANDARD_WEBHOOKS;
            case "cloudevents-binary" -> Subscription.Format.CLOUDEVENTS_BINARY;
            case "cloudevents-structured" -> Subscription.Format.CLOUDEVENTS_STRUCTURED;
            default -> null;
        };
    }

    static Duration timeout(String timeout) {
        return timeout == null ? DEFAULT_TIMEOUT : Duration.parse(timeout);
    }
}
