package io.herald.broker;

import io.herald.platform.BrokerSummary;
import io.herald.platform.PlatformConfig;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Locale;

/** Which broker Herald uses, and where, for the startup banner. */
@Singleton
class BrokerBannerLine implements BrokerSummary {
    private final BrokerConfig broker;
    private final PlatformConfig platform;

    BrokerBannerLine(BrokerConfig broker, PlatformConfig platform) {
        this.broker = broker;
        this.platform = platform;
    }

    @Override
    public String describe() {
        if (broker.isEmbedded()) {
            return "embedded Artemis, AMQP 1.0 on " + broker.embedded().host() + ":"
                    + broker.embedded().port() + ", data in "
                    + Path.of(platform.dataDir(), "artemis").toAbsolutePath().normalize();
        }
        return "external " + broker.flavour().name().toLowerCase(Locale.ROOT) + " at "
                + broker.host().orElseThrow() + ":" + broker.port() + (broker.tls() ? " (TLS)" : "");
    }
}
