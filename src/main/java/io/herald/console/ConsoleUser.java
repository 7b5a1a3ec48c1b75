package io.herald.console;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** Who is looking, for templates: {@code {inject:consoleUser.canOperate}} hides controls a role may not use. */
@Named("consoleUser")
@RequestScoped
public class ConsoleUser {
    private final SecurityIdentity identity;

    ConsoleUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String getName() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public String getRole() {
        if (identity.hasRole(ConsoleRole.ADMIN_NAME)) {
            return ConsoleRole.ADMIN_NAME;
        }
        return identity.hasRole(ConsoleRole.OPERATOR_NAME) ? ConsoleRole.OPERATOR_NAME : ConsoleRole.VIEWER_NAME;
    }

    public boolean isSignedIn() {
        return !identity.isAnonymous();
    }

    public boolean isCanOperate() {
        return identity.hasRole(ConsoleRole.OPERATOR_NAME);
    }

    public boolean isAdmin() {
        return identity.hasRole(ConsoleRole.ADMIN_NAME);
    }
}
