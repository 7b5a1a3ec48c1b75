package io.herald.identity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Each role includes the ones below it (admin > operator > publisher and viewer), so an endpoint names only the
 * least role it needs, whichever way the caller authenticated (console account, API key, OIDC token).
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    @Override
    public int priority() {
        return -100; // after augmentors that map a provider's roles onto Herald's
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        if (identity.hasRole(Role.ADMIN_NAME)) {
            builder.addRole(Role.OPERATOR_NAME).addRole(Role.PUBLISHER_NAME).addRole(Role.VIEWER_NAME);
        } else if (identity.hasRole(Role.OPERATOR_NAME)) {
            builder.addRole(Role.PUBLISHER_NAME).addRole(Role.VIEWER_NAME);
        }
        return Uni.createFrom().item(builder.build());
    }
}
