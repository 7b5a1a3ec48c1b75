package io.herald.topic;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A named stream of events of one kind ({@code order.placed}); the name is its identity. */
@Entity
@Table(name = "topics")
public class Topic extends PanacheEntityBase {
    @Id
    public String name;

    public String description;

    public String owner;

    @Column(name = "retention_seconds", nullable = false)
    public long retentionSeconds;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CompatibilityMode compatibility;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;
}
