package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.Problem;
import io.herald.platform.problem.ProblemType;
import io.herald.schema.compatibility.CompatibilityReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/topics/{topic}/schemas}, as described in openapi.yaml. */
@Path("/api/v1/topics/{topic}/schemas")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class SchemaResource {
    private final SchemaService schemas;

    SchemaResource(SchemaService schemas) {
        this.schemas = schemas;
    }

    /** 201 with the new version, or 200 with the existing version whose canonical form is identical. */
    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Response register(@PathParam("topic") String topic, SchemaIn in, @Context UriInfo uri) {
        SchemaService.Registration registration = schemas.register(topic, in);
        if (!registration.created()) {
            return Response.ok(registration.version()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(Integer.toString(registration.version().version()))
                        .build())
                .entity(registration.version())
                .build();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    public SchemaVersionPage list(
            @PathParam("topic") String topic,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit,
            @QueryParam("includeDeleted") boolean includeDeleted) {
        return schemas.list(topic, after, limit, includeDeleted);
    }

    /** The dry run: the verdict a registration would get, always 200. */
    @RolesAllowed(Role.VIEWER_NAME)
    @POST
    @Path("/compatibility")
    public CompatibilityReport checkCompatibility(@PathParam("topic") String topic, SchemaIn in) {
        return schemas.checkCompatibility(topic, in);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{version}")
    public SchemaVersionOut get(@PathParam("topic") String topic, @PathParam("version") String version) {
        return schemas.get(topic, version);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @DELETE
    @Path("/{version}")
    public Response delete(@PathParam("topic") String topic, @PathParam("version") String version) {
        schemas.delete(topic, version);
        return Response.noContent().build();
    }

    /** Validates a sample payload (the whole body) without storing anything: 200 if it matches, 422 listing violations. */
    @RolesAllowed(Role.VIEWER_NAME)
    @POST
    @Path("/{version}/validate")
    public ValidationOut validate(
            @PathParam("topic") String topic, @PathParam("version") String version, JsonNode payload) {
        if (payload == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body (the sample event data) is required");
        }
        SchemaCheck check = schemas.validateSample(topic, version, payload);
        return new ValidationOut(true, topic, check.version());
    }
}
