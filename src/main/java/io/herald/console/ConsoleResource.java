package io.herald.console;

import io.herald.broker.BrokerClient;
import io.herald.flow.FlowReport;
import io.herald.identity.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The dashboard: the event flow of the last hour, latency, backlog and the subscriptions that need attention. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private final FlowReport report;
    private final BrokerClient broker;

    ConsoleResource(FlowReport report, BrokerClient broker) {
        this.report = report;
        this.broker = broker;
    }

    public record Dashboard(
            FlowReport.Overview overview,
            BarChart accepted,
            BarChart delivered,
            BarChart failed,
            boolean brokerConnected,
            String brokerFailure) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(Dashboard dashboard);

        static native TemplateInstance index$live(Dashboard dashboard);
    }

    @GET
    public TemplateInstance index() throws SQLException {
        return Templates.index(dashboard());
    }

    /** The live part of the dashboard, fetched by htmx every few seconds. */
    @GET
    @Path("dashboard/live")
    public TemplateInstance live() throws SQLException {
        return Templates.index$live(dashboard());
    }

    private Dashboard dashboard() throws SQLException {
        FlowReport.Overview overview = report.overview();
        List<String> labels = overview.minutes().stream()
                .map(m -> HH_MM.format(m.minute()) + " UTC")
                .toList();
        return new Dashboard(
                overview,
                BarChart.of(
                        overview.minutes().stream()
                                .map(FlowReport.Minute::accepted)
                                .toList(),
                        labels),
                BarChart.of(
                        overview.minutes().stream()
                                .map(FlowReport.Minute::delivered)
                                .toList(),
                        labels),
                BarChart.of(
                        overview.minutes().stream()
                                .map(FlowReport.Minute::failed)
                                .toList(),
                        labels),
                broker.isConnected(),
                broker.lastFailure());
    }
}
