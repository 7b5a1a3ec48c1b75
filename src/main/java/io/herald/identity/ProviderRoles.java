package io.herald.identity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * An OIDC token's roles (from the configured claim) mapped onto Herald's: {@code <prefix>admin} is admin, and so on;
 * other roles are ignored. Runs before {@link RoleHierarchy} expands them.
 */
@ApplicationScoped
public class ProviderRoles implements SecurityIdentityAugmentor {
    private static final Set<String> HERALD_ROLES =
            Set.of(Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.PUBLISHER_NAME, Role.VIEWER_NAME);
    private final String prefix;

    ProviderRoles(IdentityConfig config) {
        this.prefix = config.oidc().rolePrefix().orElse("");
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken) || prefix.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        for (String role : identity.getRoles()) {
            if (role.startsWith(prefix) && HERALD_ROLES.contains(role.substring(prefix.length()))) {
                builder.addRole(role.substring(prefix.length()));
            }
        }
        return Uni.createFrom().item(builder.build());
    }
}
