package io.herald.console;

import static io.herald.console.ConsoleForms.blankToNull;

import io.herald.flow.FlowReport;
import io.herald.identity.Role;
import io.herald.schema.SchemaService;
import io.herald.schema.SchemaVersionPage;
import io.herald.topic.CompatibilityMode;
import io.herald.topic.TopicIn;
import io.herald.topic.TopicOut;
import io.herald.topic.TopicPage;
import io.herald.topic.TopicPatch;
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
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Topics: list with their traffic, create, edit (including the schema compatibility mode), delete after confirming. */
@RolesAllowed(Role.VIEWER_NAME)
@Path("/console/topics")
@Produces(MediaType.TEXT_HTML)
public class TopicPages {
    private final TopicService topics;
    private final SchemaService schemas;
    private final FlowReport flow;

    TopicPages(TopicService topics, SchemaService schemas, FlowReport flow) {
        this.topics = topics;
        this.schemas = schemas;
        this.flow = flow;
    }

    public record TopicForm(String name, String description, String owner, String retention, String compatibility) {
        static TopicForm empty() {
            return new TopicForm("", "", "", "", "BACKWARD");
        }

        static TopicForm of(TopicOut topic) {
            return new TopicForm(
                    topic.name(),
                    topic.description(),
                    topic.owner(),
                    topic.retention(),
                    topic.compatibility().name());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(
                TopicPage page,
                Map<String, Long> acceptedPerTopic,
                TopicForm form,
                ConsoleProblem problem,
                List<CompatibilityMode> modes);

        static native TemplateInstance topic(
                TopicOut topic,
                TopicForm form,
                SchemaVersionPage schemas,
                ConsoleProblem problem,
                List<CompatibilityMode> modes);

        static native TemplateInstance confirmDelete(TopicOut topic);
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) throws SQLException {
        return listPage(after, TopicForm.empty(), null);
    }

    private TemplateInstance listPage(String after, TopicForm form, ConsoleProblem problem) throws SQLException {
        return Templates.list(
                topics.list(after, null), flow.acceptedPerTopic(), form, problem, List.of(CompatibilityMode.values()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response create(
            @FormParam("name") String name,
            @FormParam("description") String description,
            @FormParam("owner") String owner,
            @FormParam("retention") String retention,
            @FormParam("compatibility") String compatibility) {
        TopicForm form = new TopicForm(name, description, owner, retention, compatibility);
        return ConsoleForms.submit(
                () -> topics.create(new TopicIn(
                        blankToNull(name),
                        blankToNull(description),
                        blankToNull(owner),
                        blankToNull(retention),
                        mode(compatibility))),
                "/console/topics/" + name,
                problem -> {
                    try {
                        return listPage(null, form, problem);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @GET
    @Path("{name}")
    public TemplateInstance topic(@PathParam("name") String name) {
        TopicOut topic = topics.get(name);
        return topicPage(topic, TopicForm.of(topic), null);
    }

    private TemplateInstance topicPage(TopicOut topic, TopicForm form, ConsoleProblem problem) {
        SchemaVersionPage versions = schemas.list(topic.name(), null, null, true);
        List<io.herald.schema.SchemaVersionOut> newestFirst = new java.util.ArrayList<>(versions.items());
        java.util.Collections.reverse(newestFirst);
        return Templates.topic(
                topic,
                form,
                new SchemaVersionPage(newestFirst, versions.next()),
                problem,
                List.of(CompatibilityMode.values()));
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response update(
            @PathParam("name") String name,
            @FormParam("description") String description,
            @FormParam("owner") String owner,
            @FormParam("retention") String retention,
            @FormParam("compatibility") String compatibility) {
        TopicOut topic = topics.get(name);
        TopicForm form = new TopicForm(name, description, owner, retention, compatibility);
        // An emptied text field clears the value; retention and mode always have one.
        return ConsoleForms.submit(
                () -> topics.update(
                        name,
                        new TopicPatch(
                                description == null ? null : description.trim(),
                                owner == null ? null : owner.trim(),
                                blankToNull(retention),
                                mode(compatibility))),
                "/console/topics/" + name,
                problem -> topicPage(topic, form, problem));
    }

    @GET
    @Path("{name}/delete")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance confirmDelete(@PathParam("name") String name) {
        return Templates.confirmDelete(topics.get(name));
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@PathParam("name") String name) {
        TopicOut topic = topics.get(name);
        return ConsoleForms.submit(
                () -> topics.delete(name),
                "/console/topics",
                problem -> topicPage(topic, TopicForm.of(topic), problem));
    }

    private static CompatibilityMode mode(String value) {
        try {
            return blankToNull(value) == null ? null : CompatibilityMode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw io.herald.platform.problem.ApiProblem.invalid(List.of(new io.herald.platform.problem.FieldError(
                    "/compatibility", "choose one of " + List.of(CompatibilityMode.values()))));
        }
    }
}
