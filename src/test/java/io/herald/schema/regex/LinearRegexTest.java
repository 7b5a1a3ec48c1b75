package io.herald.schema.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The regex policy of schemas: what runs, what is refused and why, and the matching budget. */
class LinearRegexTest {

    @Test
    void catastrophicBacktrackingPatternsRunInLinearTime() {
        // On a backtracking engine each of these takes seconds to minutes; here, one pass over the input.
        assertFalse(LinearRegex.compile("(x+x+)+y").matcher("x".repeat(100_000)).find());
        assertFalse(LinearRegex.compile("^(a+)+$")
                .matcher("a".repeat(100_000) + "!")
                .find());
        assertFalse(LinearRegex.compile("^(\\w+\\s?)*$")
                .matcher("word ".repeat(20_000) + "!")
                .find());
    }

    @Test
    void refusesWhatNeedsBacktrackingWithAReason() {
        assertTrue(LinearRegex.refusal("(?=a)b").contains("lookarounds"));
        assertTrue(LinearRegex.refusal("(a)\\1").contains("backreferences"));
        assertNotNull(LinearRegex.refusal("("));
    }

    @Test
    void refusesPatternsWhoseCountedRepetitionsExpandTooFar() {
        assertEquals(1_000_000, LinearRegex.cost("((a{1000}){1000})"));
        assertNotNull(LinearRegex.refusal("((a{1000}){1000}){1000}"));
        assertNotNull(LinearRegex.refusal("[a-z]{2,64}(\\.[a-z]{2,64}){20}"));
        assertNotNull(LinearRegex.refusal("a".repeat(LinearRegex.MAX_PATTERN_LENGTH + 1)));
    }

    @Test
    void acceptsTheUsualSchemaPatterns() {
        for (String pattern : new String[] {
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "^\\d{4}-\\d{2}-\\d{2}$",
            "^[A-Z]{3}$",
            "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,63}$",
            "^\\p{L}+$",
            "^(?:\\+|00)[1-9][0-9]{6,14}$",
            "^[\\u0020-\\u007e]*$",
            "^(?<year>\\d{4})$",
            "[{]"
        }) {
            assertNull(LinearRegex.refusal(pattern), pattern);
        }
        // ECMA-262's \\uXXXX escapes mean what they mean in JSON Schema.
        assertTrue(LinearRegex.compile("^[\\u0041-\\u005a]+$").matcher("HERALD").find());
        assertFalse(
                LinearRegex.compile("^[\\u0041-\\u005a]+$").matcher("herald").find());
    }

    @Test
    void matchesChargeTheBudgetAndStopWhenItIsSpent() {
        var pattern = LinearRegex.compile("[a-z]{0,100}x");
        long cost = LinearRegex.cost("[a-z]{0,100}x");
        assertEquals(101, cost);
        String value = "a".repeat(999);
        assertFalse(LinearRegex.withBudget(cost * 1000, () -> LinearRegex.find(pattern, cost, value)));
        assertThrows(
                LinearRegex.BudgetExceeded.class,
                () -> LinearRegex.withBudget(cost * 1000 - 1, () -> LinearRegex.find(pattern, cost, value + "a")));
    }
}
