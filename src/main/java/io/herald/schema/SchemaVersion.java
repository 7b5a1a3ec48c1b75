package io.herald.schema;

import java.time.Instant;

/** One immutable version of a topic's schema. Only {@link #deletedAt} ever changes (soft delete). */
public class SchemaVersion {
    public Long id;

    public String topic;

    public int version;

    public SchemaDialect dialect;

    /** The canonical form: keys sorted, no insignificant whitespace. */
    public String schemaText;

    /** SHA-256 of {@link #schemaText}, hex; equal schemas have equal fingerprints. */
    public String fingerprint;

    public Instant createdAt;

    public Instant deletedAt;

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
