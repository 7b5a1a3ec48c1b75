package io.herald.broker.embedded;

import io.herald.broker.BrokerConfig;
import io.herald.platform.PlatformConfig;
import io.herald.platform.embedded.DataDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The embedded ActiveMQ Artemis of embedded mode, under {@code <data>/artemis}, started before Herald's broker client
 * connects. Security is off, so the acceptor binds to loopback by default; exposing it is a deliberate
 * {@code herald.broker.embedded.host} change.
 */
@Singleton
public class EmbeddedBroker {
    private final BrokerConfig config;
    private final PlatformConfig platform;
    private EmbeddedArtemis server;

    EmbeddedBroker(BrokerConfig config, PlatformConfig platform) {
        this.config = config;
        this.platform = platform;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (config.isEmbedded()) {
            start();
        }
    }

    void onStop(@Observes @Priority(20) ShutdownEvent event) {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    public synchronized void start() {
        if (!isRunning()) {
            server = EmbeddedArtemis.start(
                    DataDirectory.open(platform.dataDir()).part("artemis"),
                    config.embedded().host(),
                    config.embedded().port(),
                    config.embedded().memoryPercent(),
                    config.embedded().queueMemory().asLongValue());
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
