package io.herald.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Stopping worker threads that were told to stop. */
public final class Threads {
    private Threads() {}

    /** Waits up to {@code grace} in all for {@code threads} to end, then interrupts those still running. */
    public static void joinThenInterrupt(Collection<Thread> threads, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.forEach(Thread::interrupt);
    }
}
