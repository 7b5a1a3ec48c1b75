package io.herald.schema;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One immutable version of a topic's schema. Only {@link #deletedAt} ever changes (soft delete). */
@Entity
@Table(name = "schema_versions")
public class SchemaVersion extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(nullable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SchemaDialect dialect;

    /** The canonical form: keys sorted, no insignificant whitespace. */
    @Column(name = "schema_text", nullable = false)
    public String schemaText;

    /** SHA-256 of {@link #schemaText}, hex; equal schemas have equal fingerprints. */
    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
