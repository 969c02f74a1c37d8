package dev.sekisho.planner;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Sekisho only reads: the one place that knows which statements would change data or schema and
 * how their refusal reads (SQLSTATE 25006). The gateway classifies with it before anything is
 * planned; the planner refuses with it whatever reaches it directly (tools, tests).
 */
public final class ReadOnlyStatements
{
    private static final Set<String> WRITE_KEYWORDS = Set.of(
            "insert", "update", "delete", "merge", "upsert", "replace", "create", "drop", "alter", "truncate",
            "grant", "revoke", "copy", "comment", "reindex", "vacuum", "cluster", "lock", "refresh", "import",
            "security", "call", "do", "load", "reassign", "analyze", "analyse", "rename");

    private ReadOnlyStatements() {}

    /** Whether the statement's first keyword (opening parentheses and comments skipped) starts a write. */
    public static boolean isWrite(SqlStatement statement)
    {
        return firstKeyword(statement).map(WRITE_KEYWORDS::contains).orElse(false);
    }

    /** The refusal of a statement that would change something. */
    public static QueryException refusal(SqlStatement statement)
    {
        String keyword = firstKeyword(statement).map(word -> word.toUpperCase(Locale.ROOT)).orElse("this statement");
        return new QueryException(SqlStates.READ_ONLY_SQL_TRANSACTION, "Sekisho is read-only: cannot execute " + keyword,
                "Sekisho answers queries (SELECT, WITH, VALUES, SHOW); run changes directly against the source database.", null);
    }

    private static Optional<String> firstKeyword(SqlStatement statement)
    {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.WORD) {
                return Optional.of(token.name());
            }
            if (token.isSignificant() && !token.isSymbol("(")) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
