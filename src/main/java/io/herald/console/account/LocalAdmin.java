package io.herald.console.account;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The local admin account, so that a fresh Herald can be signed in to with nothing else installed. Its password is
 * HERALD_ADMIN_PASSWORD when given (and reset to it when it changes), otherwise generated on the first start and
 * printed once; only the bcrypt hash is kept.
 */
@Singleton
public class LocalAdmin {
    private static final Logger LOG = Logger.getLogger(LocalAdmin.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    void onStart(@Observes StartupEvent event, AccountService accounts, AccountConfig config) {
        String username = config.adminUsername();
        Optional<String> configured = config.adminPassword();
        if (configured.isPresent()) {
            accounts.ensureAdmin(username, configured.get());
        } else if (!accounts.anyAdmin()) {
            String generated = generate();
            if (!accounts.createAdmin(username, generated)) {
                return; // another instance starting at the same time created it, and printed its password
            }
            LOG.warnf(
                    "%n  Console admin account created: user '%s', password '%s'%n  This password is shown only now;"
                            + " set HERALD_ADMIN_PASSWORD to choose your own.",
                    username, generated);
        }
    }

    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
