package io.herald.console.account;

import io.herald.console.ConsoleRole;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Each role includes the ones below it (admin > operator > viewer), so a check names only the least role needed. */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        if (identity.hasRole(ConsoleRole.ADMIN_NAME)) {
            builder.addRole(ConsoleRole.OPERATOR_NAME).addRole(ConsoleRole.VIEWER_NAME);
        } else if (identity.hasRole(ConsoleRole.OPERATOR_NAME)) {
            builder.addRole(ConsoleRole.VIEWER_NAME);
        }
        return Uni.createFrom().item(builder.build());
    }
}
