package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's regular-expression functions that return arrays or substrings, as Calcite
 * user-defined functions run in the gateway over {@link PgRegex} (PostgreSQL's regular expressions,
 * not the source's PCRE). Arrays are returned in their text form ({@code {abc,123}}), as the other
 * array functions hold them. The set-returning {@code regexp_matches} and
 * {@code regexp_split_to_table} are table functions in {@link PgTableFunctions}.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgRegexFunctions
{
    private PgRegexFunctions() {}

    public static String regexp_split_to_array(String text, String pattern)
    {
        return regexp_split_to_array(text, pattern, "");
    }

    /** {@code regexp_split_to_array(text, pattern, flags)}: the pieces between the matches, as a {@code text[]}. */
    public static String regexp_split_to_array(String text, String pattern, String flags)
    {
        List<String> pieces = split(text, pattern, flags, "regexp_split_to_array");
        return pieces == null ? null : PgArrayText.format(pieces);
    }

    public static String regexp_match(String text, String pattern)
    {
        return regexp_match(text, pattern, "");
    }

    /** {@code regexp_match(text, pattern, flags)}: the first match's groups (or the whole match) as a {@code text[]}, NULL without a match. */
    public static String regexp_match(String text, String pattern, String flags)
    {
        if (text == null || pattern == null || flags == null) {
            return null;
        }
        PgRegex.Regex regex = PgRegex.compile(pattern, flags);
        if (regex.global()) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "regexp_match() does not support the \"global\" option",
                    "Use the regexp_matches function instead.", null);
        }
        PgRegex.Match match = PgRegex.find(regex, text, 0);
        return match == null ? null : PgArrayText.format(groups(match, text));
    }

    /**
     * {@code substring(text FROM pattern)} (and {@code substring(text, pattern)}): the text the first
     * parenthesized group matched if the pattern has one, else the whole match; NULL without a match.
     */
    public static String pg_regexp_substring(String text, String pattern)
    {
        if (text == null || pattern == null) {
            return null;
        }
        PgRegex.Match match = PgRegex.find(PgRegex.compile(pattern, ""), text, 0);
        if (match == null) {
            return null;
        }
        return match.groups().isEmpty() ? text.substring(match.start(), match.end()) : match.groups().get(0);
    }

    /** The rows of {@code regexp_matches}: each match's groups (or the whole match) as a {@code text[]}. */
    static List<String> matches(String text, String pattern, String flags)
    {
        List<String> rows = new ArrayList<>();
        if (text == null || pattern == null || flags == null) {
            return rows;
        }
        PgRegex.Regex regex = PgRegex.compile(pattern, flags);
        for (PgRegex.Match match : PgRegex.matches(regex, text, regex.global(), false)) {
            rows.add(PgArrayText.format(groups(match, text)));
        }
        return rows;
    }

    /** The pieces of {@code regexp_split_to_*}, null for a NULL argument. */
    static List<String> split(String text, String pattern, String flags, String function)
    {
        if (text == null || pattern == null || flags == null) {
            return null;
        }
        PgRegex.Regex regex = PgRegex.compile(pattern, flags);
        if (regex.global()) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, function + "() does not support the \"global\" option",
                    "Leave out the g flag: the function splits at every match.", null);
        }
        List<String> pieces = new ArrayList<>();
        int previous = 0;
        for (PgRegex.Match match : PgRegex.matches(regex, text, true, true)) {
            pieces.add(text.substring(previous, match.start()));
            previous = match.end();
        }
        pieces.add(text.substring(previous));
        return pieces;
    }

    private static List<String> groups(PgRegex.Match match, String text)
    {
        return match.groups().isEmpty() ? List.of(text.substring(match.start(), match.end())) : match.groups();
    }
}
