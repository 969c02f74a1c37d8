package dev.sekisho.policies.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code key: value} fields a BI tool writes in a comment ahead of its statement, such as
 * Redash's {@code /* Username: a@x.com, query_id: 42, Queue: queries, Job ID: <uuid>, Query Hash:
 * <md5>, Scheduled: False * /}. The plan cache strips comments from its key; the fields are kept
 * here for whoever needs to know who asked and why (audit, the cost guard).
 *
 * @param fields the fields in the order written, keys as written
 */
public record StatementAnnotation(Map<String, String> fields)
{
    public StatementAnnotation
    {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(fields, "fields is null")));
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an annotation has at least one field");
        }
    }

    /**
     * The annotation in the statement's first comment, if that comment is a list of
     * {@code key: value} fields separated by commas; empty otherwise.
     */
    public static Optional<StatementAnnotation> of(SqlStatement statement)
    {
        requireNonNull(statement, "statement is null");
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.COMMENT) {
                return parse(token.text());
            }
            if (token.isSignificant()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Reads the fields of one comment ({@code /* ... * /} or {@code -- ...}). */
    static Optional<StatementAnnotation> parse(String comment)
    {
        String body = comment.startsWith("/*") ? comment.substring(2, comment.endsWith("*/") && comment.length() >= 4 ? comment.length() - 2 : comment.length())
                : comment.startsWith("--") ? comment.substring(2) : comment;
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : body.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String key = part.substring(0, colon).strip();
            if (key.isEmpty()) {
                return Optional.empty();
            }
            fields.put(key, part.substring(colon + 1).strip());
        }
        return fields.isEmpty() ? Optional.empty() : Optional.of(new StatementAnnotation(fields));
    }

    /** A field by name, ignoring case and the difference between spaces and underscores ({@code "query id"} finds {@code query_id}). */
    public Optional<String> field(String name)
    {
        String wanted = key(name);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (key(field.getKey()).equals(wanted)) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    /** Redash's {@code Username} (the person behind Redash's shared connection). */
    public Optional<String> username()
    {
        return field("Username");
    }

    /** Redash's {@code query_id}: a saved query's number, or {@code adhoc}. */
    public Optional<String> queryId()
    {
        return field("query_id");
    }

    /** Redash's {@code Job ID}, new on every run. */
    public Optional<String> jobId()
    {
        return field("Job ID");
    }

    /** Redash's {@code Query Hash}. */
    public Optional<String> queryHash()
    {
        return field("Query Hash");
    }

    /** Whether Redash ran the statement on a schedule rather than for a person waiting. */
    public Optional<Boolean> scheduled()
    {
        return field("Scheduled").map(value -> value.equalsIgnoreCase("true"));
    }

    private static String key(String name)
    {
        return name.strip().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
