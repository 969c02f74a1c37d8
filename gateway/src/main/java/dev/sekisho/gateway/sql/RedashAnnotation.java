package dev.sekisho.gateway.sql;

import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The comment Redash's {@code annotate_query} puts before every statement it sends:
 * {@code /* Username: a@x.com, query_id: 42, Queue: queries, Job ID: ..., Query Hash: ...,
 * Scheduled: False *&#47;} ({@code query_id} is {@code adhoc} for unsaved queries). The one place
 * that reads it: whether it names the end user is decided elsewhere, by whether the account is
 * trusted; here it is only read, and {@link #strip} takes it off the statement so that its changing
 * {@code Job ID} does not make every run a new statement for the plan cache.
 *
 * <p>Kept in one class so that it can be merged with the statement normalisation of the speed work
 * (which strips comments and keeps these fields) without touching its callers.
 *
 * @param fields every {@code key: value} pair, in order, keys as written
 */
public record RedashAnnotation(Map<String, String> fields)
{
    public RedashAnnotation
    {
        fields = Map.copyOf(fields);
    }

    /** The leading Redash annotation of {@code statement}, if it has one. */
    public static Optional<RedashAnnotation> of(SqlStatement statement)
    {
        return leadingComment(statement).flatMap(RedashAnnotation::parse);
    }

    /** {@code statement} without its leading Redash annotation (itself when it has none). */
    public static SqlStatement strip(SqlStatement statement)
    {
        requireNonNull(statement, "statement is null");
        Optional<SqlToken> comment = leadingComment(statement);
        if (comment.isEmpty() || parse(comment.get()).isEmpty()) {
            return statement;
        }
        for (SqlToken token : statement.tokens()) {
            if (token.isSignificant()) {
                return statement.from(token);
            }
        }
        return new SqlStatement("", java.util.List.of());
    }

    /** Reads the text of a block comment; empty unless it has Redash's {@code Username} and {@code Query Hash} fields. */
    static Optional<RedashAnnotation> parse(SqlToken comment)
    {
        String text = comment.text();
        if (!text.startsWith("/*") || !text.endsWith("*/")) {
            return Optional.empty();
        }
        String body = text.substring(2, text.length() - 2).strip();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : body.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            fields.put(part.substring(0, colon).strip(), part.substring(colon + 1).strip());
        }
        if (!fields.containsKey("Username") || !fields.containsKey("Query Hash")) {
            return Optional.empty();
        }
        return Optional.of(new RedashAnnotation(fields));
    }

    /** The user Redash ran the query for. */
    public String username()
    {
        return fields.get("Username");
    }

    /** Whether Redash's scheduler ran it ({@code Scheduled: True}); empty when the field is missing. */
    public Optional<Boolean> scheduled()
    {
        return Optional.ofNullable(fields.get("Scheduled")).map(value -> value.toLowerCase(Locale.ROOT).equals("true"));
    }

    /** The saved query's id, or {@code adhoc}. */
    public Optional<String> queryId()
    {
        return Optional.ofNullable(fields.get("query_id"));
    }

    private static Optional<SqlToken> leadingComment(SqlStatement statement)
    {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.COMMENT) {
                return Optional.of(token);
            }
            if (token.kind() != SqlToken.Kind.WHITESPACE) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
