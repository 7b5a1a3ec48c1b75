package io.herald.schema.regex;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Schema patterns ({@code pattern}, {@code patternProperties}, {@code format: regex}) run on RE2/J, whose matching time
 * grows linearly with the input, never exponentially as a backtracking engine's can ({@code (x+x+)+y}). Lookarounds
 * and backreferences, which need backtracking, are refused when a schema is registered.
 *
 * <p>Linear is not free: an RE2 match costs about the input's length times the size of the pattern once its counted
 * repetitions are expanded ({@code [a-z]{0,1000}} is a thousand states). So a pattern's expanded size is bounded
 * ({@link #MAX_COST}), and so is the work of validating one event: each match charges {@code cost x length} to the
 * thread's budget ({@link #withBudget}) and the validation stops with {@link BudgetExceeded} when it is spent. The
 * budget is counted, not timed, so whether an event passes never depends on the machine's load.
 */
public final class LinearRegex implements RegularExpressionFactory {
    public static final LinearRegex FACTORY = new LinearRegex();
    /** Longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_LENGTH = 1_000;
    /** Largest expanded size of a pattern: its atoms, each counted as often as counted repetitions repeat it. */
    public static final long MAX_COST = 1_000;

    private static final ThreadLocal<long[]> BUDGET = new ThreadLocal<>();

    private LinearRegex() {}

    /** Null if Herald runs the pattern, otherwise why not (for a violation at registration). */
    public static String refusal(String pattern) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            return "is longer than " + MAX_PATTERN_LENGTH + " characters";
        }
        long cost = cost(pattern);
        if (cost > MAX_COST) {
            return "expands to about " + cost + " states through its counted repetitions ({n,m}); at most " + MAX_COST
                    + " are accepted, so that checking an event stays cheap";
        }
        try {
            Pattern.compile(translate(pattern));
            return null;
        } catch (PatternSyntaxException e) {
            return "is not a regular expression Herald runs (" + e.getDescription() + " in '" + e.getPattern()
                    + "'); patterns run"
                    + " on a linear-time engine (RE2 syntax), which has no lookarounds or backreferences";
        }
    }

    /** A compiled pattern, or {@link PatternSyntaxException} for any pattern {@link #refusal} refuses. */
    public static Pattern compile(String pattern) {
        if (pattern.length() > MAX_PATTERN_LENGTH || cost(pattern) > MAX_COST) {
            throw new PatternSyntaxException("pattern too long or too large", pattern);
        }
        return Pattern.compile(translate(pattern));
    }

    /** Whether the pattern matches somewhere in the value (JSON Schema patterns are not anchored), charging the budget. */
    public static boolean find(Pattern pattern, long cost, String value) {
        long[] budget = BUDGET.get();
        if (budget != null) {
            budget[0] -= cost * (value.length() + 1L);
            if (budget[0] < 0) {
                throw BudgetExceeded.INSTANCE;
            }
        }
        return pattern.matcher(value).find();
    }

    /** Runs the work with a budget of matching units for every pattern it matches on this thread. */
    public static <T> T withBudget(long units, java.util.function.Supplier<T> work) {
        long[] outer = BUDGET.get();
        BUDGET.set(new long[] {units});
        try {
            return work.get();
        } finally {
            if (outer == null) {
                BUDGET.remove();
            } else {
                BUDGET.set(outer);
            }
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern compiled = compile(regex);
        long cost = Math.max(1, cost(regex));
        return value -> find(compiled, cost, value);
    }

    /**
     * ECMA-262 spellings RE2 writes otherwise: {@code \\uXXXX} becomes {@code \\x{XXXX}}. Everything else is passed on
     * as written.
     */
    static String translate(String pattern) {
        if (!pattern.contains("\\u")) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(i + 1);
                if (next == 'u' && i + 6 <= pattern.length() && isHex(pattern, i + 2, i + 6)) {
                    out.append("\\x{").append(pattern, i + 2, i + 6).append('}');
                    i += 5;
                } else {
                    out.append(c).append(next);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The pattern's expanded size: atoms, with groups under counted repetitions counted as often as they repeat. */
    public static long cost(String pattern) {
        return new CostReader(pattern).alternation();
    }

    /** Spent the budget of {@link #withBudget}: the event's strings are too long for the schema's patterns. */
    public static final class BudgetExceeded extends RuntimeException {
        static final BudgetExceeded INSTANCE = new BudgetExceeded();

        private BudgetExceeded() {
            super("pattern matching budget spent", null, false, false);
        }
    }

    /** A recursive reading of the pattern's structure; syntax errors are left to the engine's compiler. */
    private static final class CostReader {
        private static final long CAP = 1L << 40;
        private final String pattern;
        private int at;

        CostReader(String pattern) {
            this.pattern = pattern;
        }

        long alternation() {
            long total = sequence();
            while (at < pattern.length() && pattern.charAt(at) == '|') {
                at++;
                total = Math.min(CAP, total + sequence());
            }
            return total;
        }

        private long sequence() {
            long total = 0;
            while (at < pattern.length() && pattern.charAt(at) != '|' && pattern.charAt(at) != ')') {
                long atom = atom();
                total = Math.min(CAP, total + Math.min(CAP, atom * quantifier()));
            }
            return total;
        }

        private long atom() {
            char c = pattern.charAt(at++);
            if (c == '\\') {
                skipEscape();
                return 1;
            }
            if (c == '[') {
                skipClass();
                return 1;
            }
            if (c == '(') {
                if (at < pattern.length() && pattern.charAt(at) == '?') {
                    int close = pattern.indexOf('>', at);
                    boolean named = pattern.startsWith("?<", at) || pattern.startsWith("?P<", at);
                    at = named && close > 0 ? close + 1 : at + 2;
                }
                long inner = at <= pattern.length() ? alternation() : 0;
                if (at < pattern.length() && pattern.charAt(at) == ')') {
                    at++;
                }
                return Math.max(1, inner);
            }
            return 1;
        }

        private void skipEscape() {
            if (at >= pattern.length()) {
                return;
            }
            char escaped = pattern.charAt(at++);
            if ((escaped == 'x' || escaped == 'p' || escaped == 'P')
                    && at < pattern.length()
                    && pattern.charAt(at) == '{') {
                int close = pattern.indexOf('}', at);
                at = close < 0 ? pattern.length() : close + 1;
            }
        }

        private void skipClass() {
            if (at < pattern.length() && pattern.charAt(at) == '^') {
                at++;
            }
            if (at < pattern.length() && pattern.charAt(at) == ']') {
                at++;
            }
            while (at < pattern.length() && pattern.charAt(at) != ']') {
                if (pattern.charAt(at++) == '\\') {
                    skipEscape();
                }
            }
            at = Math.min(pattern.length(), at + 1);
        }

        /** How often the quantifier after an atom repeats it: 1 for none, *, + and ?; the larger bound of {n,m}. */
        private long quantifier() {
            if (at >= pattern.length()) {
                return 1;
            }
            char c = pattern.charAt(at);
            long times = 1;
            if (c == '*' || c == '+' || c == '?') {
                at++;
            } else if (c == '{') {
                int close = pattern.indexOf('}', at);
                String bounds = close < 0 ? "" : pattern.substring(at + 1, close);
                if (!bounds.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
                    return 1; // a literal '{'
                }
                at = close + 1;
                for (String bound : bounds.split(",")) {
                    if (!bound.isEmpty()) {
                        times = Math.max(times, Long.parseLong(bound));
                    }
                }
            } else {
                return 1;
            }
            if (at < pattern.length() && (pattern.charAt(at) == '?' || pattern.charAt(at) == '+')) {
                at++; // lazy or possessive
            }
            return times;
        }
    }
}
