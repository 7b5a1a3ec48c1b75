package io.herald.flow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long after its acceptance an event reached each stage of its way to a subscriber, as one Prometheus histogram
 * per stage ({@code herald_event_stage_seconds{stage="..."}}). When deliveries run late, the stage where the lag
 * grows says which part to look at: the database (stored), the relay and the broker (queued), the dispatcher's intake
 * (received, sent) or the endpoint (the answer, in {@code herald_delivery_latency_seconds}).
 */
@Singleton
public class StageLag {
    public enum Stage {
        /** The event and its deliveries were committed (the 202 can go out). */
        STORED,
        /** The broker settled a delivery's message in its subscription's queue. */
        QUEUED,
        /** A dispatcher took a delivery's message from its queue. */
        RECEIVED,
        /** A first attempt's webhook request started (retries are left out: their lag is the retry schedule). */
        SENT
    }

    private final Map<Stage, Timer> timers = new EnumMap<>(Stage.class);

    public StageLag(MeterRegistry metrics) {
        for (Stage stage : Stage.values()) {
            timers.put(
                    stage,
                    Timer.builder("herald.event.stage")
                            .description("Time from an event's acceptance until it reached the stage")
                            .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofMinutes(10))
                            .register(metrics));
        }
    }

    /** Records that {@code count} events accepted at {@code acceptedAtMillis} (epoch) reached the stage now. */
    public void reached(Stage stage, long acceptedAtMillis, int count) {
        long lag = Math.max(0, System.currentTimeMillis() - acceptedAtMillis);
        Timer timer = timers.get(stage);
        for (int i = 0; i < count; i++) {
            timer.record(lag, TimeUnit.MILLISECONDS);
        }
    }

    public void reached(Stage stage, long acceptedAtMillis) {
        reached(stage, acceptedAtMillis, 1);
    }
}
