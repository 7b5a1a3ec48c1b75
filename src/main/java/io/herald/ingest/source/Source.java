package io.herald.ingest.source;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A third party that sends Herald webhooks, verified by its signature scheme, landing on one topic. */
@Entity
@Table(name = "sources")
public class Source extends PanacheEntityBase {
    public enum Kind { GITHUB, STRIPE, STANDARD_WEBHOOKS, HMAC }

    public enum Algorithm { SHA256, SHA512 }

    public enum Encoding { HEX, BASE64 }

    @Id
    public String id;

    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public String topic;

    @Column(nullable = false)
    public String secret;

    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires")
    public Instant previousSecretExpires;

    @Column(name = "hmac_header")
    public String hmacHeader;

    @Enumerated(EnumType.STRING)
    @Column(name = "hmac_algorithm")
    public Algorithm hmacAlgorithm;

    @Enumerated(EnumType.STRING)
    @Column(name = "hmac_encoding")
    public Encoding hmacEncoding;

    @Column(name = "hmac_prefix")
    public String hmacPrefix;

    @Column(name = "type_header")
    public String typeHeader;

    @Column(name = "type_pointer")
    public String typePointer;

    @Column(name = "dedup_header")
    public String dedupHeader;

    @Column(name = "tolerance_seconds", nullable = false)
    public int toleranceSeconds;

    @Column(nullable = false)
    public long received;

    @Column(nullable = false)
    public long rejected;

    @Column(nullable = false)
    public long deduplicated;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;
}
