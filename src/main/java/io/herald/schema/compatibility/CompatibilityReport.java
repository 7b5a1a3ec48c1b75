package io.herald.schema.compatibility;

import io.herald.topic.CompatibilityMode;
import java.util.List;

/** The verdict on a candidate schema under a topic's mode, with every finding. */
public record CompatibilityReport(
        boolean compatible,
        CompatibilityMode mode,
        List<Integer> checkedAgainst,
        List<CompatibilityFinding> incompatibilities) {}
