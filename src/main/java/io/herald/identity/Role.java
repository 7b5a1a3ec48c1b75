package io.herald.identity;

import java.util.Locale;

/**
 * What a caller may do. Viewers read everything; publishers publish events; operators also change topics, schemas,
 * subscriptions and sources and act on retries, dead letters and replays; admins also manage API keys, console
 * accounts and secrets, and delete. Each role includes those below it (admin > operator > publisher, viewer).
 */
public enum Role {
    VIEWER,
    PUBLISHER,
    OPERATOR,
    ADMIN;

    public static final String ADMIN_NAME = "admin";
    public static final String OPERATOR_NAME = "operator";
    public static final String PUBLISHER_NAME = "publisher";
    public static final String VIEWER_NAME = "viewer";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
