package io.herald.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    /** The test vector the Standard Webhooks reference libraries are tested against ("sign function works"). */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheStandardWebhooksTestVector() {
        assertEquals(SIGNATURE, WebhookSigner.signatures(List.of(SECRET), ID, TIMESTAMP, BODY));
    }

    @Test
    void aSecretWithoutItsPrefixSignsTheSame() {
        assertEquals(SIGNATURE, WebhookSigner.signatures(List.of(SECRET.substring(6)), ID, TIMESTAMP, BODY));
    }

    @Test
    void duringARotationBothSecretsSignSpaceSeparated() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String both = WebhookSigner.signatures(List.of(other, SECRET), ID, TIMESTAMP, BODY);
        String[] parts = both.split(" ");
        assertEquals(2, parts.length);
        assertEquals(SIGNATURE, parts[1]);
        assertNotEquals(SIGNATURE, parts[0]);
    }

    @Test
    void theIdTheTimestampAndEveryByteOfTheBodyAreSigned() {
        assertNotEquals(SIGNATURE, WebhookSigner.signatures(List.of(SECRET), ID + "x", TIMESTAMP, BODY));
        assertNotEquals(SIGNATURE, WebhookSigner.signatures(List.of(SECRET), ID, TIMESTAMP + 1, BODY));
        byte[] compact = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(SIGNATURE, WebhookSigner.signatures(List.of(SECRET), ID, TIMESTAMP, compact));
    }
}
