package io.herald.testing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald's per-stage lag histograms ({@code herald_event_stage_seconds}, and {@code herald_delivery_latency_seconds}
 * as the stage "answered") read from its Prometheus page, so that a measured window's share of each stage is the
 * difference of two readings. Quantiles are interpolated within a bucket, as Prometheus's histogram_quantile does.
 * Read by the benchmark and by the tests that check the stages are counted.
 */
public final class StageHistograms {
    private static final Pattern BUCKET = Pattern.compile(
            "^(herald_event_stage_seconds|herald_delivery_latency_seconds)_bucket\\{([^}]*)\\} (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String[] ORDER = {"stored", "queued", "received", "sent", "answered"};

    /** Per stage: cumulative count by upper bound (seconds). */
    private final Map<String, TreeMap<Double, Double>> stages;

    private StageHistograms(Map<String, TreeMap<Double, Double>> stages) {
        this.stages = stages;
    }

    public static StageHistograms parse(String prometheusText) {
        Map<String, TreeMap<Double, Double>> stages = new LinkedHashMap<>();
        Matcher bucket = BUCKET.matcher(prometheusText);
        while (bucket.find()) {
            String stage = bucket.group(1).startsWith("herald_delivery") ? "answered" : null;
            double le = Double.NaN;
            Matcher label = LABEL.matcher(bucket.group(2));
            while (label.find()) {
                if (label.group(1).equals("stage")) {
                    stage = label.group(2);
                } else if (label.group(1).equals("le")) {
                    le = label.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(label.group(2));
                }
            }
            if (stage != null && !Double.isNaN(le)) {
                stages.computeIfAbsent(stage, s -> new TreeMap<>())
                        .merge(le, Double.parseDouble(bucket.group(3)), Double::sum);
            }
        }
        return new StageHistograms(stages);
    }

    /** What was recorded between {@code earlier} and this reading. */
    public StageHistograms since(StageHistograms earlier) {
        Map<String, TreeMap<Double, Double>> delta = new LinkedHashMap<>();
        stages.forEach((stage, buckets) -> {
            TreeMap<Double, Double> before = earlier.stages.getOrDefault(stage, new TreeMap<>());
            TreeMap<Double, Double> d = new TreeMap<>();
            buckets.forEach((le, count) -> d.put(le, count - before.getOrDefault(le, 0.0)));
            delta.put(stage, d);
        });
        return new StageHistograms(delta);
    }

    /** How many events a stage recorded (its +Inf bucket), 0 when it has none. */
    public double count(String stage) {
        TreeMap<Double, Double> buckets = stages.get(stage);
        return buckets == null || buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    }

    /** The q-quantile (0..1) of a stage in milliseconds, or NaN when it recorded nothing. */
    public double quantileMillis(String stage, double q) {
        TreeMap<Double, Double> buckets = stages.get(stage);
        if (buckets == null || buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double rank = q * buckets.lastEntry().getValue();
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double width = bucket.getValue() - lowerCount;
                double within = width <= 0 ? 1 : (rank - lowerCount) / width;
                return (lowerBound + (bucket.getKey() - lowerBound) * within) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound * 1000;
    }

    /** "stored p50 5 / p99 62 ms, queued ..." for the stages that recorded anything. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        for (String stage : ORDER) {
            double p50 = quantileMillis(stage, 0.50);
            if (Double.isNaN(p50)) {
                continue;
            }
            text.append(text.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f / %.0f ms", stage, p50, quantileMillis(stage, 0.99)));
        }
        return text.toString();
    }
}
