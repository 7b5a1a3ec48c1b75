package io.herald.console;

import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.schema.SchemaIn;
import io.herald.schema.SchemaService;
import io.herald.schema.SchemaVersionOut;
import io.herald.schema.compatibility.CompatibilityReport;
import io.herald.topic.TopicOut;
import io.herald.topic.TopicService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/** A topic's schema versions: view, compare side by side, and register with the compatibility verdict first. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/topics/{topic}/schemas")
@Produces(MediaType.TEXT_HTML)
public class SchemaPages {
    private final TopicService topics;
    private final SchemaService schemas;
    private final ConsoleForms forms;

    SchemaPages(TopicService topics, SchemaService schemas, ConsoleForms forms) {
        this.topics = topics;
        this.schemas = schemas;
        this.forms = forms;
    }

    /** One row of the side-by-side diff; {@code tag} is equal, changed, inserted or deleted. */
    public record DiffLine(String tag, String left, String right) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance version(TopicOut topic, SchemaVersionOut version, String pretty);

        static native TemplateInstance diff(
                TopicOut topic, SchemaVersionOut left, SchemaVersionOut right, List<DiffLine> lines);

        static native TemplateInstance register(
                TopicOut topic, String schema, CompatibilityReport report, ConsoleProblem problem);

        static native TemplateInstance register$verdict(CompatibilityReport report, ConsoleProblem problem);
    }

    @GET
    @Path("{version: [0-9]+|latest}")
    public TemplateInstance version(@PathParam("topic") String topic, @PathParam("version") String version) {
        SchemaVersionOut found = schemas.get(topic, version);
        return Templates.version(topics.get(topic), found, forms.pretty(found.schema()));
    }

    @GET
    @Path("diff")
    public TemplateInstance diff(
            @PathParam("topic") String topic, @QueryParam("left") String left, @QueryParam("right") String right) {
        SchemaVersionOut a = schemas.get(topic, left == null ? "1" : left);
        SchemaVersionOut b = schemas.get(topic, right == null ? "latest" : right);
        DiffRowGenerator generator =
                DiffRowGenerator.create().showInlineDiffs(false).build();
        List<DiffRow> rows =
                generator.generateDiffRows(lines(forms.pretty(a.schema())), lines(forms.pretty(b.schema())));
        List<DiffLine> lines = rows.stream()
                .map(r -> new DiffLine(r.getTag().name().toLowerCase(), r.getOldLine(), r.getNewLine()))
                .toList();
        return Templates.diff(topics.get(topic), a, b, lines);
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }

    @GET
    @Path("new")
    @RolesAllowed(Role.OPERATOR_NAME)
    public TemplateInstance registerForm(@PathParam("topic") String topic) {
        String start = ConsoleForms.orNull(
                () -> forms.pretty(schemas.get(topic, "latest").schema()));
        return Templates.register(
                topics.get(topic),
                start == null
                        ? "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
                                + "  \"type\": \"object\"\n}"
                        : start,
                null,
                null);
    }

    /** The verdict a registration would get. htmx swaps only the verdict in; without script the whole page returns. */
    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public TemplateInstance check(
            @PathParam("topic") String topic,
            @FormParam("schema") String schema,
            @jakarta.ws.rs.HeaderParam("HX-Request") String htmx) {
        CompatibilityReport report = null;
        ConsoleProblem problem = null;
        try {
            report = schemas.checkCompatibility(topic, new SchemaIn(forms.parse(schema, "schema")));
        } catch (ApiProblem refused) {
            problem = ConsoleProblem.of(refused);
        }
        return htmx != null
                ? Templates.register$verdict(report, problem)
                : Templates.register(topics.get(topic), schema, report, problem);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response register(@PathParam("topic") String topic, @FormParam("schema") String schema) {
        TopicOut found = topics.get(topic);
        try {
            SchemaService.Registration registration =
                    schemas.register(topic, new SchemaIn(forms.parse(schema, "schema")));
            return ConsoleForms.seeOther("/console/topics/" + topic + "/schemas/"
                    + registration.version().version());
        } catch (ApiProblem refused) {
            return ConsoleForms.refused(refused, Templates.register(found, schema, null, ConsoleProblem.of(refused)));
        }
    }
}
