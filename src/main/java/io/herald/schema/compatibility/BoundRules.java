package io.herald.schema.compatibility;

import static io.herald.schema.compatibility.SchemaShapes.lowerBound;
import static io.herald.schema.compatibility.SchemaShapes.upperBound;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.compatibility.SchemaShapes.Bound;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The bound keywords: numeric minimum, maximum and multipleOf; string length, pattern and format; counts of items and
 * properties.
 */
final class BoundRules {
    private BoundRules() {}

    static void checkNumbers(
            JsonNode w, String wp, JsonNode r, String rp, String writerType, List<Incompatibility> found) {
        Bound readerLow = lowerBound(r);
        if (readerLow != null) {
            Bound writerLow = lowerBound(w);
            if (writerLow == null || !writerLow.atLeastAsTightAsLower(readerLow)) {
                found.add(new Incompatibility(
                        rp + "/" + readerLow.keyword(),
                        wp,
                        writerLow == null ? IncompatibilityRule.MINIMUM_ADDED : IncompatibilityRule.MINIMUM_TIGHTENED,
                        "lower bound " + (writerLow == null ? "added" : "tightened from " + writerLow.describe(">"))
                                + ": the reader requires " + readerLow.describe(">")
                                + ", so smaller numbers the writer allows are refused"));
            }
        }
        Bound readerHigh = upperBound(r);
        if (readerHigh != null) {
            Bound writerHigh = upperBound(w);
            if (writerHigh == null || !writerHigh.atLeastAsTightAsUpper(readerHigh)) {
                found.add(new Incompatibility(
                        rp + "/" + readerHigh.keyword(),
                        wp,
                        writerHigh == null ? IncompatibilityRule.MAXIMUM_ADDED : IncompatibilityRule.MAXIMUM_TIGHTENED,
                        "upper bound "
                                + (writerHigh == null ? "added" : "tightened from " + writerHigh.describe("<"))
                                + ": the reader requires " + readerHigh.describe("<")
                                + ", so larger numbers the writer allows are refused"));
            }
        }
        if (r.path("multipleOf").isNumber()) {
            BigDecimal readerStep = r.get("multipleOf").decimalValue();
            JsonNode writerStep = w.path("multipleOf");
            boolean integersOnly = "integer".equals(writerType)
                    && BigDecimal.ONE.remainder(readerStep).signum() == 0;
            boolean divides = writerStep.isNumber()
                    && writerStep.decimalValue().remainder(readerStep).signum() == 0;
            if (!integersOnly && !divides) {
                found.add(new Incompatibility(
                        rp + "/multipleOf",
                        wp,
                        writerStep.isNumber()
                                ? IncompatibilityRule.MULTIPLE_OF_CHANGED
                                : IncompatibilityRule.MULTIPLE_OF_ADDED,
                        "the reader requires multiples of " + readerStep.toPlainString()
                                + ", which the writer's numbers"
                                + (writerStep.isNumber()
                                        ? " (multiples of "
                                                + writerStep.decimalValue().toPlainString() + ")"
                                        : "")
                                + " need not be"));
            }
        }
    }

    static void checkStrings(JsonNode w, String wp, JsonNode r, String rp, List<Incompatibility> found) {
        checkMinimumCount(w, wp, r, rp, "minLength", IncompatibilityRule.MIN_LENGTH_TIGHTENED, "characters", found);
        checkMaximumCount(
                w,
                wp,
                r,
                rp,
                "maxLength",
                IncompatibilityRule.MAX_LENGTH_TIGHTENED,
                IncompatibilityRule.MAX_LENGTH_ADDED,
                "characters",
                found);
        if (r.has("pattern") && !Objects.equals(r.get("pattern"), w.get("pattern"))) {
            found.add(new Incompatibility(
                    rp + "/pattern",
                    wp,
                    w.has("pattern") ? IncompatibilityRule.PATTERN_CHANGED : IncompatibilityRule.PATTERN_ADDED,
                    (w.has("pattern") ? "pattern changed from " + w.get("pattern") + " to " : "pattern added: ")
                            + r.get("pattern")
                            + "; Herald cannot prove the reader's pattern accepts every string the writer's allows, so it "
                            + "counts this as breaking (conservative)"));
        }
        if (r.has("format") && !Objects.equals(r.get("format"), w.get("format"))) {
            found.add(new Incompatibility(
                    rp + "/format",
                    wp,
                    w.has("format") ? IncompatibilityRule.FORMAT_CHANGED : IncompatibilityRule.FORMAT_ADDED,
                    "the reader requires format " + r.get("format")
                            + " (Herald asserts formats) but the writer's strings "
                            + (w.has("format") ? "have format " + w.get("format") : "have no format")));
        }
    }

    static void checkMinimumCount(
            JsonNode w,
            String wp,
            JsonNode r,
            String rp,
            String keyword,
            IncompatibilityRule rule,
            String unit,
            List<Incompatibility> found) {
        if (r.path(keyword).canConvertToLong()) {
            long readerMin = r.get(keyword).asLong();
            long writerMin = w.path(keyword).canConvertToLong() ? w.get(keyword).asLong() : 0;
            if (writerMin < readerMin) {
                found.add(new Incompatibility(
                        rp + "/" + keyword,
                        wp,
                        rule,
                        keyword + " tightened from " + writerMin + " to " + readerMin
                                + ": shorter values the writer allows (" + writerMin + " " + unit
                                + ") are refused"));
            }
        }
    }

    static void checkMaximumCount(
            JsonNode w,
            String wp,
            JsonNode r,
            String rp,
            String keyword,
            IncompatibilityRule tightened,
            IncompatibilityRule added,
            String unit,
            List<Incompatibility> found) {
        if (r.path(keyword).canConvertToLong()) {
            long readerMax = r.get(keyword).asLong();
            boolean writerBounded = w.path(keyword).canConvertToLong();
            if (!writerBounded || w.get(keyword).asLong() > readerMax) {
                found.add(new Incompatibility(
                        rp + "/" + keyword,
                        wp,
                        writerBounded ? tightened : added,
                        keyword + " "
                                + (writerBounded
                                        ? "tightened from " + w.get(keyword).asLong() + " to "
                                        : "added: ") + readerMax
                                + "; longer values the writer allows are refused (" + unit + ")"));
            }
        }
    }
}
