package io.herald.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The one short block an operator reads at start: where the API and console are, and where the data lives. */
@Singleton
public class StartupBanner {
    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(
            @Observes @Priority(5000) StartupEvent event,
            PlatformConfig platform,
            BrokerSummary broker,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "localhost") String httpHost,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort) {
        String host = "0.0.0.0".equals(httpHost) ? "localhost" : httpHost;
        String base = "http://" + host + ":" + httpPort;
        String database = platform.db()
                .embeddedDirectory()
                .map(dir -> "embedded PostgreSQL, data in " + dir)
                .orElseGet(() ->
                        "external PostgreSQL " + redact(platform.db().url().orElse("(from quarkus.datasource)")));
        String brokerLine = broker.describe();
        LOG.infof(
                "%n  Herald is ready%n    API:      %s/api/v1   (contract: %s/openapi.yaml)%n    Console:  %s/console%n"
                        + "    Health:   %s/q/health/ready%n    Database: %s%n    Broker:   %s",
                base, base, base, base, database, brokerLine);
    }

    /** JDBC URLs can carry a password as a query parameter; never log it. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
