package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PostgreSQL's regular expressions (POSIX "advanced" ones, AREs) evaluated with
 * {@link java.util.regex}: MySQL's and MariaDB's are PCRE, which reads the same pattern
 * differently, so the functions built on this run in the gateway. The pattern is translated where
 * the two flavours differ ({@code .} matches a newline, {@code $} only the end, {@code \m},
 * {@code \M}, {@code \y}, {@code \Y}, {@code \Z}, bracket expressions with {@code [:class:]} and a
 * leading {@code ]}), and a match is PostgreSQL's: the leftmost one, and of those the longest
 * (a backtracking engine takes the first alternative that matches: {@code a|ab} on {@code ab}).
 * A pattern no engine can compile is 2201B; constructs with no faithful translation (collating
 * elements, equivalence classes, greedy and non-greedy quantifiers mixed) are 0A000.
 */
final class PgRegex
{
    private static final int CACHE_SIZE = 256;
    private static final Map<String, Pattern> CACHE = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest)
        {
            return size() > CACHE_SIZE;
        }
    };
    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "0-9"), Map.entry("alnum", "\\p{Alnum}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"), Map.entry("punct", "\\p{Punct}"), Map.entry("xdigit", "\\p{XDigit}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("print", "\\p{Print}"), Map.entry("graph", "\\p{Graph}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("word", "\\w"));

    private PgRegex() {}

    /** A compiled pattern and how it is matched. */
    record Regex(Pattern pattern, boolean global, boolean shortest) {}

    /** One match: its bounds and its capture groups' text (null for a group that did not take part). */
    record Match(int start, int end, List<String> groups) {}

    /**
     * Compiles a pattern with PostgreSQL's flags ({@code g}, {@code i}, {@code c}, {@code n},
     * {@code p}, {@code w}, {@code s}, {@code x}, {@code q}).
     *
     * @throws QueryException 2201B for an invalid pattern, 22023 for an unknown flag
     */
    static Regex compile(String pattern, String flags)
    {
        boolean global = false;
        boolean caseInsensitive = false;
        boolean newlineSensitive = false;
        boolean expanded = false;
        boolean quoted = false;
        String options = flags == null ? "" : flags;
        for (int i = 0; i < options.length(); i++) {
            char flag = options.charAt(i);
            switch (flag) {
                case 'g' -> global = true;
                case 'i' -> caseInsensitive = true;
                case 'c' -> caseInsensitive = false;
                case 'n', 'm', 'p', 'w' -> newlineSensitive = true;
                case 's' -> newlineSensitive = false;
                case 'x' -> expanded = true;
                case 't' -> expanded = false;
                case 'q' -> quoted = true;
                default -> throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid regular expression option: \"" + flag + "\"",
                        "Use the flags g, i, c, n, s, x or q.", null);
            }
        }
        String key = (caseInsensitive ? "i" : "c") + (newlineSensitive ? "n" : "s") + (expanded ? "x" : "t") + (quoted ? "q" : "r") + pattern;
        Pattern compiled;
        synchronized (CACHE) {
            compiled = CACHE.get(key);
        }
        boolean shortest = !quoted && nonGreedy(pattern);
        if (compiled == null) {
            int javaFlags = Pattern.UNIX_LINES | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0) | (newlineSensitive ? Pattern.MULTILINE : Pattern.DOTALL)
                    | (expanded ? Pattern.COMMENTS : 0);
            try {
                compiled = Pattern.compile(quoted ? Pattern.quote(pattern) : translate(pattern, newlineSensitive), javaFlags);
            }
            catch (PatternSyntaxException e) {
                throw new QueryException("2201B", "invalid regular expression: " + e.getDescription(),
                        "Check the pattern's parentheses, brackets, quantifiers and escapes.", e);
            }
            synchronized (CACHE) {
                CACHE.put(key, compiled);
            }
        }
        return new Regex(compiled, global, shortest);
    }

    /** The first match at or after {@code from}, PostgreSQL's: leftmost, then longest (shortest for a non-greedy pattern). */
    static Match find(Regex regex, String text, int from)
    {
        Matcher matcher = regex.pattern().matcher(text);
        matcher.useTransparentBounds(true);
        matcher.useAnchoringBounds(false);
        if (from > text.length() || !matcher.find(from)) {
            return null;
        }
        int start = matcher.start();
        int end = matcher.end();
        MatchSnapshot best = new MatchSnapshot(matcher);
        if (regex.shortest()) {
            for (int candidate = start; candidate < end; candidate++) {
                matcher.region(start, candidate);
                if (matcher.matches()) {
                    best = new MatchSnapshot(matcher);
                    break;
                }
            }
        }
        else {
            for (int candidate = text.length(); candidate > end; candidate--) {
                matcher.region(start, candidate);
                if (matcher.matches()) {
                    best = new MatchSnapshot(matcher);
                    break;
                }
            }
        }
        return best.toMatch(text);
    }

    /**
     * The matches PostgreSQL's {@code regexp_matches} and {@code regexp_split_to_*} see: one, or
     * all with {@code g}; an empty match advances by one character. With {@code ignoreDegenerate}
     * (the split functions), an empty match at the end or right after the previous match is skipped.
     */
    static List<Match> matches(Regex regex, String text, boolean global, boolean ignoreDegenerate)
    {
        List<Match> found = new ArrayList<>();
        int searchFrom = 0;
        int previousEnd = 0;
        while (true) {
            Match match = find(regex, text, searchFrom);
            if (match == null) {
                break;
            }
            if (!ignoreDegenerate || match.start() < text.length() && match.end() > previousEnd) {
                found.add(match);
            }
            previousEnd = match.end();
            if (!global) {
                break;
            }
            searchFrom = previousEnd + (match.start() == match.end() ? 1 : 0);
            if (searchFrom > text.length()) {
                break;
            }
        }
        return found;
    }

    private record MatchSnapshot(int start, int end, int[] groups)
    {
        MatchSnapshot(Matcher matcher)
        {
            this(matcher.start(), matcher.end(), bounds(matcher));
        }

        private static int[] bounds(Matcher matcher)
        {
            int[] bounds = new int[2 * matcher.groupCount()];
            for (int i = 0; i < matcher.groupCount(); i++) {
                bounds[2 * i] = matcher.start(i + 1);
                bounds[2 * i + 1] = matcher.end(i + 1);
            }
            return bounds;
        }

        Match toMatch(String text)
        {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < groups.length; i += 2) {
                texts.add(groups[i] < 0 ? null : text.substring(groups[i], groups[i + 1]));
            }
            return new Match(start, end, texts);
        }
    }

    /** Whether the pattern has a non-greedy quantifier; 0A000 when it mixes them with greedy ones (PostgreSQL's rules for that have no translation). */
    private static boolean nonGreedy(String pattern)
    {
        boolean greedy = false;
        boolean lazy = false;
        boolean inBracket = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (inBracket) {
                inBracket = c != ']';
                continue;
            }
            if (c == '[') {
                inBracket = true;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    i++;
                }
                continue;
            }
            if (c == '(' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '?') {
                i++;
                continue;
            }
            if (c == '*' || c == '+' || c == '?' || c == '}') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '?') {
                    lazy = true;
                    i++;
                }
                else {
                    greedy = true;
                }
            }
        }
        if (lazy && greedy) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "regular expressions that mix greedy and non-greedy quantifiers are not supported",
                    "Use only greedy (*, +, ?) or only non-greedy (*?, +?, ??) quantifiers in the pattern.", null);
        }
        return lazy;
    }

    /** The ARE as a java.util.regex pattern. */
    static String translate(String are, boolean newlineSensitive)
    {
        StringBuilder out = new StringBuilder(are.length() + 16);
        int i = 0;
        while (i < are.length()) {
            char c = are.charAt(i);
            if (c == '\\' && i + 1 < are.length()) {
                char escaped = are.charAt(i + 1);
                switch (escaped) {
                    case 'm' -> out.append("\\b(?=\\w)");
                    case 'M' -> out.append("\\b(?<=\\w)");
                    case 'y' -> out.append("\\b");
                    case 'Y' -> out.append("\\B");
                    case 'Z' -> out.append("\\z");
                    case 'v' -> out.append("\\x0B");
                    default -> out.append(c).append(escaped);
                }
                i += 2;
                continue;
            }
            if (c == '$' && !newlineSensitive) {
                out.append("\\z");
                i++;
                continue;
            }
            if (c == '[') {
                i = bracket(are, i, out);
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** A bracket expression from {@code [} at {@code open}: appends its translation, returns the index after its {@code ]}. */
    private static int bracket(String are, int open, StringBuilder out)
    {
        int i = open + 1;
        out.append('[');
        if (i < are.length() && are.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < are.length() && are.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < are.length()) {
            char c = are.charAt(i);
            if (c == ']') {
                out.append(']');
                return i + 1;
            }
            if (c == '[' && i + 1 < are.length() && ":.=".indexOf(are.charAt(i + 1)) >= 0) {
                char kind = are.charAt(i + 1);
                int close = are.indexOf(kind + "]", i + 2);
                if (close < 0) {
                    throw new QueryException("2201B", "invalid regular expression: brackets [] not balanced",
                            "Close the bracket expression's [:class:] with :].", null);
                }
                String name = are.substring(i + 2, close);
                if (kind != ':') {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "collating elements and equivalence classes ([." + name + ".], [=" + name + "=]) in regular expressions are not supported",
                            "Write the character itself.", null);
                }
                String translated = CLASSES.get(name);
                if (translated == null) {
                    throw new QueryException("2201B", "invalid regular expression: invalid character class", "Use a class such as [:alpha:] or [:digit:].", null);
                }
                out.append(translated);
                i = close + 2;
                continue;
            }
            if (c == '\\' && i + 1 < are.length()) {
                out.append(c).append(are.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '[' || c == '&') {
                out.append('\\');
            }
            out.append(c);
            i++;
        }
        throw new QueryException("2201B", "invalid regular expression: brackets [] not balanced", "Close the bracket expression with ].", null);
    }
}
