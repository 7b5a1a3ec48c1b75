package io.herald.ingest.source;

import io.herald.platform.problem.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /ingest/{sourceId}}: where providers send their webhooks. No login: authenticity is the signature,
 * checked over the raw bytes. 202 once stored, 200 for a redelivery, 401 when the signature does not verify.
 */
@PermitAll
@Path("/ingest/{sourceId}")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class InboundWebhookResource {
    private final SourceService sources;

    InboundWebhookResource(SourceService sources) {
        this.sources = sources;
    }

    @POST
    @Blocking
    public CompletionStage<Response> receive(
            @PathParam("sourceId") String sourceId, @Context HttpHeaders headers, byte[] body) {
        return sources.receive(sourceId, headers::getHeaderString, body == null ? new byte[0] : body)
                .thenApply(received -> Response.status(received.duplicate() ? 200 : 202)
                        .entity(Map.of(
                                "id", received.eventId(), "status", received.duplicate() ? "duplicate" : "accepted"))
                        .build());
    }
}
