package io.herald.platform;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the API contract. The document is openapi.yaml from the repository root, byte for byte (the build copies it
 * onto the classpath), so what clients are generated from is what Herald serves.
 */
@PermitAll
@Path("/openapi.yaml")
public class OpenApiResource {
    static final String CLASSPATH_LOCATION = "META-INF/openapi/openapi.yaml";
    private final byte[] document;

    OpenApiResource() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(CLASSPATH_LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_LOCATION + " is missing from the build");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces("application/yaml")
    public byte[] get() {
        return document;
    }
}
