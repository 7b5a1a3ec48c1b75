package io.herald.routing;

import java.security.SecureRandom;
import java.util.Base64;

/** Webhook signing secrets in the Standard Webhooks form: {@code whsec_} and 32 random bytes in base64. */
public final class SubscriptionSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SubscriptionSecrets() {}

    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
