package io.herald.identity;

import io.herald.identity.ApiKeyDtos.ApiKeyIn;
import io.herald.identity.ApiKeyDtos.ApiKeyList;
import io.herald.identity.ApiKeyDtos.ApiKeyOut;
import io.herald.platform.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
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

/** API keys, for admins: create (the key is shown once), list, read, revoke. */
@Path("/api/v1/api-keys")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class ApiKeyResource {
    private final ApiKeyService keys;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    public Response create(ApiKeyIn in, @Context UriInfo uri) {
        ApiKeyOut created = keys.create(in, identity.getPrincipal().getName());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    public ApiKeyList list() {
        return keys.list();
    }

    @GET
    @Path("/{id}")
    public ApiKeyOut get(@PathParam("id") String id) {
        return keys.get(id);
    }

    /** Revokes the key; it is kept, marked revoked, so its use stays explainable. */
    @DELETE
    @Path("/{id}")
    public ApiKeyOut revoke(@PathParam("id") String id) {
        return keys.revoke(id);
    }
}
