package io.herald.console;

import java.util.Locale;

/**
 * What a console user may do. Viewers read; operators also act on the event flow (topics, schemas, subscriptions,
 * retries, dead letters, replays); admins also manage accounts and webhook secrets.
 */
public enum ConsoleRole {
    VIEWER, OPERATOR, ADMIN;

    public static final String ADMIN_NAME = "admin";
    public static final String OPERATOR_NAME = "operator";
    public static final String VIEWER_NAME = "viewer";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConsoleRole of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
