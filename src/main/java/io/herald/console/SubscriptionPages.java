package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.herald.delivery.DeliveryDtos;
import io.herald.delivery.DeliveryService;
import io.herald.flow.FlowReport;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.herald.platform.problem.Violations;
import io.herald.routing.EventFilter;
import io.herald.routing.SubscriptionDtos.SubscriptionIn;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPage;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
import io.herald.routing.SubscriptionDtos.WebhookIn;
import io.herald.routing.SubscriptionService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestForm;

/** Subscriptions: list with health, create and edit with a validated filter, pause/resume, secret, test event. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/subscriptions")
@Produces(MediaType.TEXT_HTML)
public class SubscriptionPages {
    private final SubscriptionService subscriptions;
    private final DeliveryService deliveries;
    private final FlowReport flow;
    private final ConsoleForms forms;
    private final io.herald.delivery.DeliveryConfig deliveryConfig;

    SubscriptionPages(
            SubscriptionService subscriptions,
            DeliveryService deliveries,
            FlowReport flow,
            ConsoleForms forms,
            io.herald.delivery.DeliveryConfig deliveryConfig) {
        this.deliveryConfig = deliveryConfig;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.flow = flow;
        this.forms = forms;
    }

    /** The form's fields as typed, so a refused form comes back as the user left it. */
    public record SubscriptionForm(
            String name,
            String topic,
            String kind,
            String filter,
            String url,
            String format,
            String headers,
            String timeout,
            String retrySchedule,
            String maxInFlight,
            String maxPerSecond) {
        static SubscriptionForm empty() {
            return new SubscriptionForm("", "", "webhook", "", "", "standard-webhooks", "", "", "", "", "");
        }
    }

    /** What one page of a subscription shows beyond its settings: a revealed secret, a test attempt. */
    public record Extra(String secret, DeliveryDtos.AttemptOut testAttempt) {
        static final Extra NONE = new Extra(null, null);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                SubscriptionPage page,
                Map<String, FlowReport.SubscriptionHealth> health,
                SubscriptionForm form,
                ConsoleProblem problem);

        static native TemplateInstance subscription(
                SubscriptionOut subscription,
                FlowReport.SubscriptionHealth health,
                SubscriptionForm form,
                String filter,
                Extra extra,
                ConsoleProblem problem);

        static native TemplateInstance confirmDelete(SubscriptionOut subscription);

        static native TemplateInstance filterVerdict(ConsoleProblem problem, boolean checked);
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) throws SQLException {
        return listPage(after, SubscriptionForm.empty(), null);
    }

    private TemplateInstance listPage(String after, SubscriptionForm form, ConsoleProblem problem) throws SQLException {
        Map<String, FlowReport.SubscriptionHealth> health = flow.health().stream()
                .collect(Collectors.toMap(FlowReport.SubscriptionHealth::id, Function.identity()));
        return Templates.list(subscriptions.list(after, null), health, form, problem);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response create(
            @RestForm String name,
            @RestForm String topic,
            @RestForm String kind,
            @RestForm String filter,
            @RestForm String url,
            @RestForm String format,
            @RestForm String headers,
            @RestForm String timeout,
            @RestForm String retrySchedule,
            @RestForm String maxInFlight,
            @RestForm String maxPerSecond)
            throws SQLException {
        SubscriptionForm form = new SubscriptionForm(
                name, topic, kind, filter, url, format, headers, timeout, retrySchedule, maxInFlight, maxPerSecond);
        try {
            boolean webhook = !"queue".equals(kind);
            SubscriptionOut created = subscriptions.create(new SubscriptionIn(
                    blankToNull(name),
                    blankToNull(topic),
                    kind,
                    forms.parse(filter, "filter"),
                    webhook ? webhook(form) : null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
            return ConsoleForms.seeOther("/console/subscriptions/" + created.id());
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, listPage(null, form, ConsoleProblem.of(refused)));
        }
    }

    /** Checks a filter as the API would, for the editor's "Check filter" button. */
    @POST
    @Path("filter-check")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance checkFilter(@RestForm String filter) {
        try {
            JsonNode parsed = forms.parse(filter, "filter");
            if (parsed != null) {
                Violations violations = new Violations();
                EventFilter.parse(parsed, "/filter", violations);
                violations.throwIfAny();
            }
            return Templates.filterVerdict(null, true);
        } catch (ApiProblem refused) {
            return Templates.filterVerdict(ConsoleProblem.of(refused), true);
        }
    }

    @GET
    @Path("{id}")
    public TemplateInstance subscription(@PathParam("id") String id) throws SQLException {
        SubscriptionOut found = subscriptions.get(id);
        return page(found, formOf(found), Extra.NONE, null);
    }

    private TemplateInstance page(
            SubscriptionOut subscription, SubscriptionForm form, Extra extra, ConsoleProblem problem)
            throws SQLException {
        return Templates.subscription(
                subscription,
                flow.health(subscription.id()),
                form,
                forms.pretty(subscription.filter()),
                extra,
                problem);
    }

    private SubscriptionForm formOf(SubscriptionOut s) {
        var w = s.webhook();
        return new SubscriptionForm(
                s.name(),
                s.topic(),
                s.kind(),
                forms.pretty(s.filter()),
                w == null ? "" : w.url(),
                w == null ? "" : w.format(),
                w == null || w.headers() == null
                        ? ""
                        : w.headers().entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining("\n")),
                w == null ? "" : w.timeout(),
                w == null || w.retrySchedule() == null ? "" : String.join(", ", w.retrySchedule()),
                w == null || w.maxInFlight() == null ? "" : w.maxInFlight().toString(),
                w == null || w.maxPerSecond() == null ? "" : w.maxPerSecond().toString());
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response update(
            @PathParam("id") String id,
            @RestForm String name,
            @RestForm String filter,
            @RestForm String url,
            @RestForm String format,
            @RestForm String headers,
            @RestForm String timeout,
            @RestForm String retrySchedule,
            @RestForm String maxInFlight,
            @RestForm String maxPerSecond)
            throws SQLException {
        SubscriptionOut found = subscriptions.get(id);
        SubscriptionForm form = new SubscriptionForm(
                name,
                found.topic(),
                found.kind(),
                filter,
                url,
                format,
                headers,
                timeout,
                retrySchedule,
                maxInFlight,
                maxPerSecond);
        try {
            JsonNode parsedFilter = forms.parse(filter, "filter");
            subscriptions.update(
                    id,
                    new SubscriptionPatch(
                            name == null ? null : name.trim(),
                            null,
                            parsedFilter == null ? NullNode.getInstance() : parsedFilter,
                            "webhook".equals(found.kind()) ? webhook(form) : null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null));
            return ConsoleForms.seeOther("/console/subscriptions/" + id);
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, page(found, form, Extra.NONE, ConsoleProblem.of(refused)));
        }
    }

    @POST
    @Path("{id}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response pause(@PathParam("id") String id) {
        subscriptions.update(
                id, new SubscriptionPatch(null, "paused", null, null, null, null, null, null, null, null, null));
        return ConsoleForms.seeOther("/console/subscriptions/" + id);
    }

    @POST
    @Path("{id}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response resume(@PathParam("id") String id) {
        subscriptions.update(
                id, new SubscriptionPatch(null, "active", null, null, null, null, null, null, null, null, null));
        return ConsoleForms.seeOther("/console/subscriptions/" + id);
    }

    @POST
    @Path("{id}/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance revealSecret(@PathParam("id") String id) throws SQLException {
        SubscriptionOut found = subscriptions.get(id);
        return page(found, formOf(found), new Extra(subscriptions.secret(id), null), null);
    }

    @POST
    @Path("{id}/secret/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance rotateSecret(@PathParam("id") String id) throws SQLException {
        DeliveryDtos.SecretOut rotated = deliveries.rotateSecret(id, deliveryConfig.secretRotationGrace());
        SubscriptionOut found = subscriptions.get(id);
        return page(found, formOf(found), new Extra(rotated.secret(), null), null);
    }

    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response sendTest(@PathParam("id") String id) throws SQLException {
        SubscriptionOut found = subscriptions.get(id);
        try {
            return Response.ok(page(found, formOf(found), new Extra(null, deliveries.sendTest(id)), null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, page(found, formOf(found), Extra.NONE, ConsoleProblem.of(refused)));
        }
    }

    @GET
    @Path("{id}/delete")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance confirmDelete(@PathParam("id") String id) {
        return Templates.confirmDelete(subscriptions.get(id));
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@PathParam("id") String id, @RestForm String force) throws SQLException {
        SubscriptionOut found = subscriptions.get(id);
        try {
            subscriptions.delete(id, "yes".equals(force));
            return ConsoleForms.seeOther("/console/subscriptions");
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, page(found, formOf(found), Extra.NONE, ConsoleProblem.of(refused)));
        }
    }

    /** Webhook settings from the form; blank fields are "not given", so the API's defaults apply. */
    private static WebhookIn webhook(SubscriptionForm form) {
        return new WebhookIn(
                blankToNull(form.url()),
                headers(form.headers()),
                blankToNull(form.timeout()),
                blankToNull(form.format()),
                blankToNull(form.retrySchedule()) == null
                        ? null
                        : Arrays.stream(form.retrySchedule().split("[,\\s]+"))
                                .filter(s -> !s.isBlank())
                                .toList(),
                integer(form.maxInFlight(), "/webhook/maxInFlight"),
                integer(form.maxPerSecond(), "/webhook/maxPerSecond"),
                null,
                null);
    }

    /** "Name: value" lines. */
    private static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (blankToNull(text) == null) {
            return headers;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ApiProblem.invalid(List.of(new FieldError(
                        "/webhook/headers", "write one 'Name: value' per line; '" + line.trim() + "' has no name")));
            }
            headers.put(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static Integer integer(String text, String pointer) {
        if (blankToNull(text) == null) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid(List.of(new FieldError(pointer, "must be a whole number")));
        }
    }
}
