package dev.sekisho.gateway.audit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Who a statement from Redash ran for: Redash runs every query as its one service account and
 * prepends {@code /* Username: a@x.com, query_id: 42, ... *}{@code /} (its {@code annotate_query});
 * the audit trail reads the end user and the saved query from that comment.
 *
 * @param username the Redash user who ran the query
 * @param queryId the saved query's id; empty for unsaved ({@code adhoc}) queries
 */
public record RedashAnnotation(String username, Optional<String> queryId)
{
    private static final Pattern ANNOTATION = Pattern.compile("^\\s*/\\*\\s*Username:\\s*([^,*]+?)\\s*,\\s*query_id:\\s*([^,*]+?)\\s*[,*]");

    public RedashAnnotation
    {
        requireNonNull(username, "username is null");
        requireNonNull(queryId, "queryId is null");
    }

    /** The annotation at the start of {@code sql}, if it has one. */
    public static Optional<RedashAnnotation> find(String sql)
    {
        Matcher matcher = ANNOTATION.matcher(sql);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String queryId = matcher.group(2);
        return Optional.of(new RedashAnnotation(matcher.group(1), queryId.equals("adhoc") ? Optional.empty() : Optional.of(queryId)));
    }
}
