package io.herald.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Event store maintenance. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.store")
public interface StoreConfig {

    /** Daily partitions prepared ahead of today. */
    @WithDefault("3")
    int partitionsAhead();

    /** Rows removed per statement when a topic's retention is shorter than the partition it sits in. */
    @WithDefault("5000")
    int purgeBatchSize();
}
