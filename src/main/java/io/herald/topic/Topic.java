package io.herald.topic;

import java.time.Instant;

/** A named stream of events of one kind ({@code order.placed}); the name is its identity. A row of {@link Topics}. */
public class Topic {
    public String name;

    public String description;

    public String owner;

    public long retentionSeconds;

    public CompatibilityMode compatibility;

    public Instant createdAt;

    public Instant updatedAt;

    /** Raised by every update: a writer that read an older version is refused (409). */
    public long version;
}
