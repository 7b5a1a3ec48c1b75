package io.herald.console.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of local console accounts. Every key is documented in the README's configuration table. */
@ConfigMapping(prefix = "herald")
public interface AccountConfig {

    /** The local admin's user name ({@code HERALD_ADMIN_USERNAME}). */
    @WithDefault("admin")
    String adminUsername();

    /** The local admin's password ({@code HERALD_ADMIN_PASSWORD}); absent: generated on the first start and printed once. */
    Optional<String> adminPassword();

    /**
     * Key of the encrypted session cookie ({@code HERALD_SESSION_KEY}, at least 16 characters): the same on every
     * instance, kept across restarts. Absent: the launcher keeps a generated one in the data directory.
     */
    Optional<String> sessionKey();

    Console console();

    interface Console {
        /**
         * How the console signs people in ({@code HERALD_CONSOLE_AUTH_MECHANISM}): {@code form} (local accounts) or
         * {@code code} (the OIDC provider's sign-in page; the default when HERALD_OIDC_ENABLED is true).
         */
        @WithDefault("form")
        String authMechanism();
    }
}
