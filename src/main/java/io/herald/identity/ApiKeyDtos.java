package io.herald.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The API shapes of API keys. The key itself appears only in the response that created it. */
public final class ApiKeyDtos {
    private ApiKeyDtos() {}

    public record ApiKeyIn(String name, String role, List<String> topicPatterns, Instant expiresAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyOut(
            String id,
            String name,
            String prefix,
            String role,
            List<String> topicPatterns,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt,
            String state,
            String key) {}

    public record ApiKeyList(List<ApiKeyOut> items) {}
}
