package dev.sekisho.gateway.sql;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Who a statement from Redash ran for: Redash runs every query as its one service account and
 * prepends {@code /* Username: a@x.com, query_id: 42, Queue: queries, Job ID: ..., Query Hash: ...,
 * Scheduled: False *}{@code /} (its {@code annotate_query}). The one reader of that comment: the
 * audit trail records the end user and the saved query from it, the cost guard picks a resource
 * group by {@code Scheduled}, and a trusted account's statement runs as the end user (whether the
 * account is trusted is decided elsewhere; here it is only read). Called through
 * {@code StatementText}, which also takes the comment off the statement so that its changing
 * {@code Job ID} does not make every run a new statement for the plan cache.
 *
 * @param username the Redash user who ran the query
 * @param queryId the saved query's id; empty for unsaved ({@code adhoc}) queries
 * @param scheduled whether Redash's scheduler ran it ({@code Scheduled: True}); empty when the field is missing
 */
public record RedashAnnotation(String username, Optional<String> queryId, Optional<Boolean> scheduled)
{

    public RedashAnnotation
    {
        requireNonNull(username, "username is null");
        requireNonNull(queryId, "queryId is null");
        requireNonNull(scheduled, "scheduled is null");
    }

    /** What {@code \s} matches in a regular expression: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isRegexWhitespace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** The annotation at the start of {@code sql}, if it has one: a block comment with Redash's {@code Username} and {@code query_id} fields. */
    public static Optional<RedashAnnotation> find(String sql)
    {
        // what ^\s*/\*(.*?)\*/ finds, without a regular expression: this runs for every statement Redash sends
        int start = 0;
        while (start < sql.length() && isRegexWhitespace(sql.charAt(start))) {
            start++;
        }
        if (!sql.startsWith("/*", start)) {
            return Optional.empty();
        }
        int end = sql.indexOf("*/", start + 2);
        if (end < 0) {
            return Optional.empty();
        }
        // the fields as split(",") and strip() read them (empty parts at the end are dropped, a later field of a name wins),
        // without a map or a string per field: only the values kept are copied
        int fieldsEnd = end;
        while (fieldsEnd > start + 2 && sql.charAt(fieldsEnd - 1) == ',') {
            fieldsEnd--;
        }
        if (fieldsEnd == start + 2) {
            // an empty comment is one part without a colon; a comment of commas has no fields
            return Optional.empty();
        }
        String user = null;
        String query = null;
        String schedule = null;
        int partStart = start + 2;
        while (partStart <= fieldsEnd) {
            int partEnd = sql.indexOf(',', partStart);
            if (partEnd < 0 || partEnd > fieldsEnd) {
                partEnd = fieldsEnd;
            }
            int colon = sql.indexOf(':', partStart);
            if (colon <= partStart || colon >= partEnd) {
                return Optional.empty();
            }
            int keyStart = skipWhitespace(sql, partStart, colon);
            int keyEnd = trimWhitespace(sql, keyStart, colon);
            if (isKey(sql, keyStart, keyEnd, "Username")) {
                user = value(sql, colon + 1, partEnd);
            }
            else if (isKey(sql, keyStart, keyEnd, "query_id")) {
                query = value(sql, colon + 1, partEnd);
            }
            else if (isKey(sql, keyStart, keyEnd, "Scheduled")) {
                schedule = value(sql, colon + 1, partEnd);
            }
            partStart = partEnd + 1;
        }
        if (user == null || user.isEmpty() || query == null || query.isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> runOnSchedule = Optional.ofNullable(schedule).map(value -> value.toLowerCase(Locale.ROOT).equals("true"));
        return Optional.of(new RedashAnnotation(user, query.equals("adhoc") ? Optional.empty() : Optional.of(query), runOnSchedule));
    }

    /** The text from {@code from} to {@code to}, stripped. */
    private static String value(String sql, int from, int to)
    {
        int valueStart = skipWhitespace(sql, from, to);
        return sql.substring(valueStart, trimWhitespace(sql, valueStart, to));
    }

    private static boolean isKey(String sql, int start, int end, String key)
    {
        return end - start == key.length() && sql.startsWith(key, start);
    }

    /** The first index from {@code from} (before {@code to}) that {@link String#strip()} would keep. */
    private static int skipWhitespace(String sql, int from, int to)
    {
        int index = from;
        while (index < to) {
            int codePoint = sql.codePointAt(index);
            if (!Character.isWhitespace(codePoint)) {
                break;
            }
            index += Character.charCount(codePoint);
        }
        return index;
    }

    /** The end of the text from {@code from} to {@code to} without the white space {@link String#strip()} drops at its end. */
    private static int trimWhitespace(String sql, int from, int to)
    {
        int index = to;
        while (index > from) {
            int codePoint = sql.codePointBefore(index);
            if (!Character.isWhitespace(codePoint)) {
                break;
            }
            index -= Character.charCount(codePoint);
        }
        return index;
    }
}
