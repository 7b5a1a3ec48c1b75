package io.herald.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Worker threads: starting them as daemons, sleeping in them, stopping them once told to stop. */
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

    /** Daemon threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Starts a daemon thread running {@code work}. */
    public static Thread startDaemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Sleeps; an interrupt ends the sleep early and stays set for the caller's loop to see. */
    public static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
