package io.herald.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the console writes numbers and times, as {@code {fmt:when(x)}}; one place, so every page says them the same
 * way, and absent values read as nothing rather than as an error.
 */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormats {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsoleFormats() {}

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f %%", value);
    }

    /** An Instant or OffsetDateTime in UTC; empty when absent. */
    static String when(Object time) {
        if (time instanceof Instant instant) {
            return WHEN.format(instant);
        }
        if (time instanceof OffsetDateTime offset) {
            return WHEN.format(offset.toInstant());
        }
        return "";
    }
}
