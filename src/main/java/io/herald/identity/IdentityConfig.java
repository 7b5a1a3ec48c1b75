package io.herald.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of API and console access. Every key is documented in the README's configuration table. */
@ConfigMapping(prefix = "herald")
public interface IdentityConfig {

    /**
     * An admin API key that works from the start ({@code HERALD_API_KEY}, format {@code hk_<8>_<24..64>}): for
     * provisioning scripts, and the first key of a fresh install. Only its hash is stored.
     */
    Optional<String> apiKey();

    /**
     * Who may read {@code /q/metrics} ({@code HERALD_METRICS_ACCESS}): {@code permit} (anyone who can reach the
     * port), {@code authenticated}, or {@code viewer} (an API key or token with at least that role).
     */
    @WithDefault("permit")
    String metricsAccess();

    Oidc oidc();

    /** An OIDC provider (external mode): bearer tokens for the API, authorization-code sign-in for the console. */
    interface Oidc {
        /** {@code HERALD_OIDC_ENABLED}: off by default; embedded mode needs no identity provider. */
        @WithDefault("false")
        boolean enabled();

        /** {@code HERALD_OIDC_ISSUER}, e.g. {@code https://sso.example.com/realms/acme}. */
        Optional<String> issuer();

        /** {@code HERALD_OIDC_AUDIENCE}: the audience access tokens must carry (absent: not checked). */
        Optional<String> audience();

        /** {@code HERALD_OIDC_ROLES_CLAIM}: where the token lists roles, e.g. {@code realm_access/roles} or {@code groups}. */
        @WithDefault("realm_access/roles")
        String rolesClaim();

        /** {@code HERALD_OIDC_ROLE_PREFIX}: a provider role {@code <prefix>admin} is Herald's admin, and so on. */
        Optional<String> rolePrefix();

        /** {@code HERALD_OIDC_CONSOLE_CLIENT_ID}: the console's confidential client (authorization code flow). */
        @WithDefault("herald-console")
        String consoleClientId();

        /** {@code HERALD_OIDC_CONSOLE_CLIENT_SECRET}. */
        Optional<String> consoleClientSecret();
    }
}
