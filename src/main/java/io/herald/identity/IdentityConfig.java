package io.herald.identity;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Settings of API access. Every key is documented in the README's configuration table. */
@ConfigMapping(prefix = "herald")
public interface IdentityConfig {

    /**
     * An admin API key that works from the start ({@code HERALD_API_KEY}, format {@code hk_<8>_<24..64>}): for
     * provisioning scripts, and the first key of a fresh install. Only its hash is stored.
     */
    Optional<String> apiKey();
}
