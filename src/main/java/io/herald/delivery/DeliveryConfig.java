package io.herald.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook delivery settings. Documented in the README's configuration table. */
@ConfigMapping(prefix = "herald.delivery")
public interface DeliveryConfig {

    /**
     * Delay before each attempt, the first being the first attempt (Svix's schedule): after the last, the delivery is
     * exhausted. A subscription may set its own.
     */
    @WithDefault("PT0S,PT5S,PT5M,PT30M,PT2H,PT5H,PT10H,PT10H")
    List<Duration> retrySchedule();

    /** Random spread applied to each retry delay, as a fraction (0.2 = plus or minus 20 percent). */
    @WithDefault("0.2")
    double jitter();

    /** A receiver's Retry-After is honoured up to this long. */
    @WithDefault("PT1H")
    Duration maxRetryAfter();

    /** Requests one subscription may have in flight on one instance. */
    @WithDefault("10")
    int maxInFlight();

    /** How long a rotated-out secret still signs requests (both signatures are sent). */
    @WithDefault("PT24H")
    Duration secretRotationGrace();

    /** A subscription failing this many times in a row ... */
    @WithDefault("100")
    int disableAfterFailures();

    /** ... and for at least this long is disabled automatically. */
    @WithDefault("PT24H")
    Duration disableAfterFailingFor();

    /**
     * Hosts or IP addresses webhooks may reach although they are loopback, private, link-local or cloud metadata
     * addresses (refused otherwise).
     */
    Optional<List<String>> allowedHosts();

    /** Retries attempted per instance at once. */
    @WithDefault("50")
    int retryConcurrency();

    /**
     * How long a subscription's transformation may run on one event (JSONata's runtime bound, checked at every
     * evaluation step); one that runs longer fails, and its delivery is dead-lettered with the reason.
     */
    @WithDefault("PT0.1S")
    Duration transformationTimeout();

    /** How often due retries are looked for. */
    @WithDefault("PT0.5S")
    Duration retryPollInterval();
}
