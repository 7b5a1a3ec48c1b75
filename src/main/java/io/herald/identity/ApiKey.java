package io.herald.identity;

import java.time.Instant;

public class ApiKey {
    public String id;

    public String lookupId;

    public String keyHash;

    public String name;

    public String role;

    /** Comma-separated topic patterns the key may publish to; null: as its role allows. */
    public String topicPatterns;

    public Instant createdAt;

    public String createdBy;

    public Instant expiresAt;

    public Instant revokedAt;

    public Instant lastUsedAt;
}
