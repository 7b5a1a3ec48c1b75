package io.herald.console;

import java.util.ArrayList;
import java.util.List;

/** A server-rendered SVG bar chart: the template draws one {@code <rect>} per bar, no script involved. */
public record BarChart(int width, int height, long max, List<Bar> bars) {
    public static final int WIDTH = 600;
    public static final int HEIGHT = 70;

    public record Bar(int x, int y, int width, int height, String label) {}

    public static BarChart of(List<Long> values, List<String> labels) {
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        int slot = values.isEmpty() ? WIDTH : WIDTH / values.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            int h = Math.max(1, (int) Math.round((double) values.get(i) / max * (HEIGHT - 2)));
            if (values.get(i) == 0) {
                continue; // an empty minute draws nothing
            }
            bars.add(new Bar(i * slot, HEIGHT - h, Math.max(1, slot - 1), h, labels.get(i) + ": " + values.get(i)));
        }
        return new BarChart(WIDTH, HEIGHT, max, bars);
    }
}
