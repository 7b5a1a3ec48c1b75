package io.herald.ingest.source;

import java.time.Instant;

/** A third party that sends Herald webhooks, verified by its signature scheme, landing on one topic. */
public class Source {
    public enum Kind {
        GITHUB,
        STRIPE,
        STANDARD_WEBHOOKS,
        HMAC
    }

    public enum Algorithm {
        SHA256,
        SHA512
    }

    public enum Encoding {
        HEX,
        BASE64
    }

    public String id;

    public String name;

    public Kind kind;

    public String topic;

    public String secret;

    public String previousSecret;

    public Instant previousSecretExpires;

    public String hmacHeader;

    public Algorithm hmacAlgorithm;

    public Encoding hmacEncoding;

    public String hmacPrefix;

    public String typeHeader;

    public String typePointer;

    public String dedupHeader;

    public int toleranceSeconds;

    public long received;

    public long rejected;

    public long deduplicated;

    public Instant createdAt;

    public Instant updatedAt;

    public long version;
}
