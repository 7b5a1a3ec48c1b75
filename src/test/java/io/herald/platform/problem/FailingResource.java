package io.herald.platform.problem;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only endpoint that fails the way a bug would, to see what a client gets from a 500. */
@jakarta.annotation.security.PermitAll
@Path("/test-only/fail")
public class FailingResource {
    static final String SECRET = "password=hunter2 at io.herald.Internal";

    @GET
    public String fail() {
        throw new IllegalStateException(SECRET);
    }
}
