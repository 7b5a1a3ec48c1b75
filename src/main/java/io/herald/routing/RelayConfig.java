package io.herald.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox relay. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.relay")
public interface RelayConfig {

    /** Deliveries claimed and sent (all in flight at once) per round. */
    @WithDefault("500")
    int batchSize();

    /** How often the relay looks for deliveries committed by other instances, or left behind by a failure. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /**
     * Rounds that may run at once on this instance: while one waits for the broker's settlements, another claims
     * what was committed since (SKIP LOCKED keeps them apart), so a delivery does not wait for a whole round.
     */
    @WithDefault("2")
    int workers();

    /** How long a round waits for the broker to settle its messages before leaving the rest for the next round. */
    @WithDefault("PT10S")
    Duration sendTimeout();
}
