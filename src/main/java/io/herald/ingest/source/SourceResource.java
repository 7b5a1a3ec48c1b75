package io.herald.ingest.source;

import io.herald.identity.Role;
import io.herald.ingest.source.SourceService.RotateIn;
import io.herald.ingest.source.SourceService.SecretOut;
import io.herald.ingest.source.SourceService.SourceIn;
import io.herald.ingest.source.SourceService.SourceList;
import io.herald.ingest.source.SourceService.SourceOut;
import io.herald.platform.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/sources}: configuring inbound webhook sources, as described in openapi.yaml. */
@Path("/api/v1/sources")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class SourceResource {
    private final SourceService sources;

    SourceResource(SourceService sources) {
        this.sources = sources;
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Response create(SourceIn in, @Context UriInfo uri) {
        SourceOut created = sources.create(in);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    public SourceList list() {
        return sources.list();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("/{id}")
    public SourceOut get(@PathParam("id") String id) {
        return sources.get(id);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        sources.delete(id);
        return Response.noContent().build();
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    @Path("/{id}/secret/rotate")
    public SecretOut rotate(@PathParam("id") String id, RotateIn in) {
        return sources.rotate(id, in);
    }
}
