package io.herald.broker;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Herald holds an open AMQP connection: without it, no accepted event can reach its queue. */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {
    private final BrokerClient broker;
    private final BrokerConfig config;

    BrokerReadinessCheck(BrokerClient broker, BrokerConfig config) {
        this.broker = broker;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("broker")
                .withData("flavour", broker.topology().flavour().name().toLowerCase())
                .withData("embedded", config.isEmbedded())
                .withData("address", config.connectHost() + ":" + config.connectPort());
        if (broker.isConnected()) {
            return response.up().build();
        }
        return response.down()
                .withData("reason", String.valueOf(broker.lastFailure()))
                .build();
    }
}
