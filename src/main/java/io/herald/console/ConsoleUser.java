package io.herald.console;

import io.herald.identity.Role;
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
        return identity.isAnonymous() ? "" : io.herald.console.account.LocalSignIn.username(identity);
    }

    public String getRole() {
        if (identity.hasRole(Role.ADMIN_NAME)) {
            return Role.ADMIN_NAME;
        }
        return identity.hasRole(Role.OPERATOR_NAME) ? Role.OPERATOR_NAME : Role.VIEWER_NAME;
    }

    public boolean isSignedIn() {
        return !identity.isAnonymous();
    }

    public boolean isCanOperate() {
        return identity.hasRole(Role.OPERATOR_NAME);
    }

    /** Signed in through the OIDC provider: signing out goes through it too. */
    public boolean isSso() {
        return identity.getPrincipal() instanceof org.eclipse.microprofile.jwt.JsonWebToken;
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }
}
