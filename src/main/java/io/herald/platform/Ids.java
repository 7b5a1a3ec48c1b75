package io.herald.platform;

import java.security.SecureRandom;

/**
 * Opaque, time-sortable ids with a type prefix ({@code evt_01JD...}) in the ULID layout: 48 bits of milliseconds
 * then 80 random bits, Crockford base32. Within one millisecond the random part is incremented (monotonic ULIDs), so
 * ids made by one instance sort in the order they were made: the events of a batch keep their order.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long LOW_MASK = (1L << 40) - 1;

    private static long lastMillis;
    private static long lastHigh;
    private static long lastLow;

    private Ids() {}

    public static String next(String prefix) {
        long millis;
        long high;
        long low;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                lastLow = (lastLow + 1) & LOW_MASK;
                if (lastLow == 0) {
                    lastHigh = (lastHigh + 1) & LOW_MASK;
                }
            } else {
                lastMillis = millis;
                lastHigh = RANDOM.nextLong() & LOW_MASK;
                // Leave room to count up within the millisecond.
                lastLow = RANDOM.nextLong() & (LOW_MASK >>> 1);
            }
            high = lastHigh;
            low = lastLow;
        }
        char[] id = new char[26];
        encode(id, 0, 10, millis);
        encode(id, 10, 8, high);
        encode(id, 18, 8, low);
        return prefix + "_" + new String(id);
    }

    private static void encode(char[] target, int offset, int length, long value) {
        for (int i = offset + length - 1; i >= offset; i--) {
            target[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }
}
