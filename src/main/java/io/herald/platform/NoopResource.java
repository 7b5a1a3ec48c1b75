package io.herald.platform;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /bench/noop}: reads the body and answers 202, on the same HTTP stack as ingest; what bench/run.sh
 * measures Herald's ingest against. On the event loop, where ingest answers too (a worker thread per request would
 * measure Quarkus's worker pool, and grow it). Absent (404) unless HERALD_BENCH_ENDPOINTS is true.
 */
@PermitAll
@Path("/bench/noop")
public class NoopResource {
    private final boolean enabled;

    NoopResource(PlatformConfig config) {
        this.enabled = config.benchEndpoints();
    }

    @POST
    @NonBlocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response noop(byte[] body) {
        if (!enabled) {
            return Response.status(404).build();
        }
        return Response.accepted("{\"bytes\": " + body.length + "}").build();
    }
}
