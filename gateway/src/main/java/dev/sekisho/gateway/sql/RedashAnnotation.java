package dev.sekisho.gateway.sql;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : sql.substring(start + 2, end).split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            fields.put(part.substring(0, colon).strip(), part.substring(colon + 1).strip());
        }
        String username = fields.get("Username");
        String queryId = fields.get("query_id");
        if (username == null || username.isEmpty() || queryId == null || queryId.isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> scheduled = Optional.ofNullable(fields.get("Scheduled")).map(value -> value.toLowerCase(Locale.ROOT).equals("true"));
        return Optional.of(new RedashAnnotation(username, queryId.equals("adhoc") ? Optional.empty() : Optional.of(queryId), scheduled));
    }
}
