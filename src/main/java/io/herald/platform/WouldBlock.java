package io.herald.platform;

/**
 * Thrown by work started on an event loop when it finds it needs a blocking load (a cache miss that reads the
 * database): the caller runs the work again on a worker thread. Cheap to throw: no stack trace.
 */
public final class WouldBlock extends RuntimeException {
    public static final WouldBlock INSTANCE = new WouldBlock();

    private WouldBlock() {
        super("needs a blocking load", null, false, false);
    }

    /** The cached value, the loaded one when blocking is allowed, or {@link WouldBlock}. */
    public static <K, V> V cached(
            com.github.benmanes.caffeine.cache.Cache<K, V> cache,
            K key,
            java.util.function.Function<? super K, ? extends V> loader,
            boolean mayBlock) {
        if (mayBlock) {
            return cache.get(key, loader);
        }
        V value = cache.getIfPresent(key);
        if (value == null) {
            throw INSTANCE;
        }
        return value;
    }
}
