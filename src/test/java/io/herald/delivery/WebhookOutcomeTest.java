package io.herald.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a webhook's answer is judged: the ledger acts on the outcome alone. */
class WebhookOutcomeTest {

    @Test
    void anyTwoHundredDelivers() {
        assertInstanceOf(Outcome.Delivered.class, WebhookClient.outcome(answer(200, null)));
        assertInstanceOf(Outcome.Delivered.class, WebhookClient.outcome(answer(204, null)));
        assertInstanceOf(Outcome.Delivered.class, WebhookClient.outcome(answer(299, null)));
    }

    @Test
    void goneIsPermanentAndDisablesTheSubscription() {
        Outcome outcome = WebhookClient.outcome(answer(410, null));
        assertEquals(
                "the receiver answered 410 Gone",
                assertInstanceOf(Outcome.Permanent.class, outcome).disableReason());
    }

    @Test
    void otherStatusesAndFailuresAreRetriedWithTheReceiversRetryAfter() {
        Outcome.Retry busy =
                assertInstanceOf(Outcome.Retry.class, WebhookClient.outcome(answer(429, Duration.ofSeconds(30))));
        assertEquals(Duration.ofSeconds(30), busy.delay());
        assertNull(assertInstanceOf(Outcome.Retry.class, WebhookClient.outcome(answer(500, null)))
                .delay());
        assertInstanceOf(Outcome.Retry.class, WebhookClient.outcome(answer(301, null)));
        AttemptResult timeout = new AttemptResult(
                Instant.now(), 10_000, null, AttemptResult.ErrorClass.TIMEOUT, "no answer", null, null);
        assertInstanceOf(Outcome.Retry.class, WebhookClient.outcome(timeout));
    }

    private static AttemptResult answer(int status, Duration retryAfter) {
        boolean ok = status >= 200 && status < 300;
        return new AttemptResult(
                Instant.now(), 5, status, ok ? null : AttemptResult.ErrorClass.HTTP_STATUS, null, null, retryAfter);
    }
}
