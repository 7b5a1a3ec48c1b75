package io.herald.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination name made from the event: {@code {topic}} and {@code {type}} are replaced by the event's topic and
 * CloudEvents type (a NATS subject {@code events.{type}}, a Redis stream {@code herald:{topic}}).
 */
public final class DestinationTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern NATS_TOKEN = Pattern.compile("[^\\s.*>]+");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private DestinationTemplate() {}

    public static String render(String template, String topic, String type) {
        return template.replace("{topic}", topic).replace("{type}", type);
    }

    /** Why the template cannot be used, or null. */
    static String problem(String template, int maxLength) {
        if (template == null || template.isBlank()) {
            return "is required";
        }
        if (template.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        Matcher placeholder = PLACEHOLDER.matcher(template);
        while (placeholder.find()) {
            String name = placeholder.group(1);
            if (!name.equals("topic") && !name.equals("type")) {
                return "'{" + name + "}' is not a placeholder: use {topic} or {type}";
            }
        }
        return null;
    }

    /** Whether a rendered subject is one NATS accepts for a publish: dot-separated tokens, no wildcards or spaces. */
    public static boolean isNatsSubject(String subject) {
        if (subject.isEmpty() || subject.length() > 512) {
            return false;
        }
        for (String token : subject.split("\\.", -1)) {
            if (!NATS_TOKEN.matcher(token).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a rendered name is a Kafka topic name: letters, digits, '.', '_' and '-', at most 249. */
    public static boolean isKafkaTopic(String topic) {
        return KAFKA_TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }
}
