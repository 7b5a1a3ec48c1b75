package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.delivery.TransformationTests;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.routing.SubscriptionDtos.SubscriptionOut;
import io.herald.routing.SubscriptionDtos.SubscriptionPatch;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

/**
 * A subscription's transformation: the stored one, an editor that saves it (checked as the API checks it), and a test
 * on a stored event that shows the input, the output or the error, and the time taken, before anything is saved.
 */
@Path("/console/subscriptions/{id}/transformation")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_NAME)
public class TransformationPages {
    private final SubscriptionService subscriptions;
    private final TransformationTests tests;
    private final ObjectMapper json;

    TransformationPages(SubscriptionService subscriptions, TransformationTests tests, ObjectMapper json) {
        this.subscriptions = subscriptions;
        this.tests = tests;
        this.json = json;
    }

    /** What the editor holds, and what the last test showed (pretty-printed JSON). */
    public record Editor(String transformation, String eventId, boolean saved, Tested tested) {}

    public record Tested(String input, String body, String headers, boolean skip, String error, String tookMs) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance transformation(
                SubscriptionOut subscription, Editor editor, ConsoleProblem problem);
    }

    @GET
    public TemplateInstance show(@PathParam("id") String id) {
        SubscriptionOut subscription = subscriptions.get(id);
        return Templates.transformation(subscription, new Editor(subscription.transformation(), "", false, null), null);
    }

    /** "Test" runs the editor's text on the event; "Save" stores it (empty removes it). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response submit(
            @PathParam("id") String id,
            @RestForm String transformation,
            @RestForm String eventId,
            @RestForm String action) {
        SubscriptionOut subscription = subscriptions.get(id);
        String text = transformation == null ? "" : transformation.strip();
        String event = eventId == null ? "" : eventId.strip();
        try {
            if ("save".equals(action)) {
                SubscriptionOut saved = subscriptions.update(
                        id, new SubscriptionPatch(null, null, null, null, null, null, null, null, text, null, null));
                return Response.ok(Templates.transformation(saved, new Editor(text, event, true, null), null))
                        .build();
            }
            TransformationTests.TestOut out =
                    tests.test(id, new TransformationTests.TestIn(blankToNull(event), blankToNull(text)));
            return Response.ok(
                            Templates.transformation(subscription, new Editor(text, event, false, tested(out)), null))
                    .build();
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(
                    refused,
                    Templates.transformation(
                            subscription, new Editor(text, event, false, null), ConsoleProblem.of(refused)));
        }
    }

    private Tested tested(TransformationTests.TestOut out) {
        String took = String.format(java.util.Locale.ROOT, "%.2f", out.tookMs());
        if (out.error() != null) {
            return new Tested(
                    pretty(out.input()), null, null, false, out.error().message(), took);
        }
        return new Tested(
                pretty(out.input()),
                out.output().body() == null ? null : pretty(out.output().body()),
                out.output().headers() == null || out.output().headers().isEmpty()
                        ? null
                        : pretty(out.output().headers()),
                out.output().skip(),
                null,
                took);
    }

    private String pretty(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
