package io.herald.delivery;

import java.util.concurrent.atomic.AtomicBoolean;

/** A lane's slot is given back exactly once, by whichever path sees the attempt end first. */
final class Once {
    private Once() {}

    static Runnable of(Runnable runnable) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                runnable.run();
            }
        };
    }
}
