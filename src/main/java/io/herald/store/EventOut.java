package io.herald.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** A stored event as the API shows it; {@code deliveries} only when one event is read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventOut(
        String id,
        String topic,
        String ceId,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String dataContentType,
        JsonNode data,
        Integer schemaVersion,
        JsonNode extensions,
        Instant acceptedAt,
        List<DeliveryOut> deliveries) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryOut(String id, String subscriptionId, String state, Instant createdAt, Instant queuedAt) {}
}
