package io.herald.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's reading of Herald's stage histograms: the window's difference, and interpolated quantiles. */
class StageHistogramsTest {
    private static String page(int fast, int slow, int answered) {
        return """
                # TYPE herald_event_stage_seconds histogram
                herald_event_stage_seconds_bucket{stage="stored",le="0.001"} 0
                herald_event_stage_seconds_bucket{stage="stored",le="0.01"} %d
                herald_event_stage_seconds_bucket{stage="stored",le="0.1"} %d
                herald_event_stage_seconds_bucket{stage="stored",le="+Inf"} %d
                herald_event_stage_seconds_count{stage="stored"} %d
                herald_delivery_latency_seconds_bucket{le="0.04"} %d
                herald_delivery_latency_seconds_bucket{le="+Inf"} %d
                """.formatted(fast, fast + slow, fast + slow, fast + slow, answered, answered);
    }

    @Test
    void quantilesOfTheWindowAreInterpolatedWithinTheirBucket() {
        StageHistograms before = StageHistograms.parse(page(50, 0, 10));
        // In the window: 90 events under 10 ms and 10 between 10 and 100 ms; 20 answered under 40 ms.
        StageHistograms window = StageHistograms.parse(page(140, 10, 30)).since(before);

        assertEquals(5.5, window.quantileMillis("stored", 0.45), 1e-9, "rank 45: halfway through the 90 in (1, 10] ms");
        assertEquals(55.0, window.quantileMillis("stored", 0.95), 1e-9, "rank 95: halfway through (10, 100] ms");
        assertEquals(20.0, window.quantileMillis("answered", 0.5), 1e-9);
        assertTrue(Double.isNaN(window.quantileMillis("queued", 0.5)), "a stage without records has no quantile");
        assertEquals("stored 6 / 91 ms, answered 20 / 40 ms", window.summary());
    }
}
