package io.herald.broker;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * DOWN while Herald holds no open AMQP connection (no accepted event reaches its queue meanwhile): in {@code /q/health}
 * and {@code /q/health/well}, not in readiness. An instance without its broker still accepts events into the outbox,
 * which the relay sends once the broker is back; were the broker in readiness, a broker outage would take every
 * instance out of its load balancer and turn into an ingest outage (bench/faults.sh showed it: ADR 0016).
 */
@Wellness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {
    private final BrokerClient broker;
    private final BrokerConfig config;

    BrokerHealthCheck(BrokerClient broker, BrokerConfig config) {
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
