package dev.sekisho.planner;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.List;
import java.util.Map;

/**
 * The planner's front door: turns one query statement into a {@link PreparedQuery}.
 *
 * <p>Statements reach it one at a time (the gateway splits multi-statement strings and answers
 * session commands such as SET, SHOW and BEGIN itself). Parameters are written {@code $1},
 * {@code $2}, ... as in PostgreSQL. Thread-safe.
 */
public interface QueryPlanner
{
    /**
     * Parses, validates and plans one query.
     *
     * @param sql a single query statement (SELECT, WITH, VALUES, TABLE), no trailing semicolon needed
     * @param declaredParameterTypes types the client declared for {@code $1..$n}; shorter than the
     *         number of parameters, or holding null entries, where the client left them unspecified
     * @param session who is asking
     * @throws dev.sekisho.planner.spi.QueryException with SQLSTATE 42601 (syntax), 42P01 (unknown
     *         table), 42703 (unknown column), 42883 (unknown function), 0A000 (not supported), ...
     */
    PreparedQuery prepare(String sql, List<ColumnType> declaredParameterTypes, SessionContext session);

    /**
     * Plans one query that the caller has lexed already (a statement of a simple Query, split by the
     * gateway): the planner reads its tokens instead of lexing the text again.
     *
     * @see #prepare(String, List, SessionContext)
     */
    default PreparedQuery prepare(SqlStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        return prepare(statement.text(), declaredParameterTypes, session);
    }

    /**
     * Plans the query exactly as written, its literals as literals, never the shared plan of a
     * normalised form: for EXPLAIN, whose reader asks about this statement, so that the choices a
     * plan makes from its values (a replicated table's route by MySQL's row estimate) show.
     *
     * @see #prepare(String, List, SessionContext)
     */
    default PreparedQuery prepareAsWritten(String sql, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        return prepare(sql, declaredParameterTypes, session);
    }

    /** Forgets cached metadata and plans, so that schema changes at the sources are seen. */
    void refresh();

    /** What the plan cache holds and did; {@link PlanCacheStats#NONE} for a planner without one. */
    default PlanCacheStats planCacheStats()
    {
        return PlanCacheStats.NONE;
    }

    /**
     * Every source's servers as they are now (state, lag, statements, last error), by source name
     * in configured order: what {@code SHOW sekisho.replicas} lists. Empty for a planner without sources.
     */
    default Map<String, List<ServerStatus>> servers()
    {
        return Map.of();
    }
}
