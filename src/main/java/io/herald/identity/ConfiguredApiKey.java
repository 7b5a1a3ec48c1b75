package io.herald.identity;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Makes HERALD_API_KEY usable as an admin key at start. */
@Singleton
public class ConfiguredApiKey {

    void onStart(@Observes StartupEvent event, IdentityConfig config, ApiKeyService keys) {
        config.apiKey().ifPresent(key -> keys.ensureConfigured(key.trim(), "HERALD_API_KEY"));
    }
}
