package io.herald.routing;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * The engines subscriptions may deliver to, by connection name, set by the operator: a subscription names a connection,
 * never a host (ADR 0019). Documented in the README's configuration table.
 */
@ConfigMapping(prefix = "herald.destinations")
public interface DestinationConfig {
    /** NATS servers with JetStream: {@code herald.destinations.nats.<name>.url}. */
    Map<String, Connection> nats();

    /** Redis servers: {@code herald.destinations.redis.<name>.url}. */
    Map<String, Connection> redis();

    interface Connection {
        /**
         * NATS: {@code nats://[user:password@]host:4222}, several servers comma-separated, {@code tls://} for TLS.
         * Redis: {@code redis://[[user]:password@]host:6379[/db]}, {@code rediss://} for TLS.
         */
        String url();
    }
}
