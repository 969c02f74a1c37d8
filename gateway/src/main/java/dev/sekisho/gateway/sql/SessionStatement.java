package dev.sekisho.gateway.sql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The parsed form of the statements the gateway answers itself: SET, RESET, SHOW, the cursor
 * commands (DECLARE, FETCH, MOVE, CLOSE), DEALLOCATE, DISCARD and Tableau's temp-table probes.
 */
public sealed interface SessionStatement
{
    /**
     * {@code SET [SESSION | LOCAL] name {TO | =} value [, ...]} and its special forms.
     *
     * @param name the setting, lower case unless quoted; empty for the SET forms that change nothing
     *         here (SET TRANSACTION ..., SET SESSION CHARACTERISTICS ...)
     * @param values the values; empty for DEFAULT
     * @param local SET LOCAL: the value lasts until the end of the transaction
     */
    record Set(String name, List<String> values, boolean local)
            implements SessionStatement
    {
        public Set
        {
            requireNonNull(name, "name is null");
            values = List.copyOf(values);
        }

        public Set(String name, List<String> values)
        {
            this(name, values, false);
        }
    }

    /**
     * {@code RESET name} or {@code RESET ALL}.
     *
     * @param name the setting, or empty for ALL
     */
    record Reset(Optional<String> name)
            implements SessionStatement
    {
        public Reset
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * {@code SHOW name}, {@code SHOW ALL}, {@code SHOW TRANSACTION ISOLATION LEVEL}.
     *
     * @param name the setting, lower case unless quoted, or {@code all}
     */
    record Show(String name)
            implements SessionStatement
    {
        public Show
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * {@code DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD] FOR query}.
     *
     * @param name the cursor's name (lower case unless quoted)
     * @param binary whether FETCH returns binary values
     * @param scroll whether SCROLL was asked for
     * @param hold WITH HOLD: the cursor survives the commit of its transaction
     * @param statement the query as written, lexed
     */
    record Declare(String name, boolean binary, boolean scroll, boolean hold, SqlStatement statement)
            implements SessionStatement
    {
        public Declare
        {
            requireNonNull(name, "name is null");
            requireNonNull(statement, "statement is null");
        }

        public Declare(String name, boolean binary, boolean scroll, boolean hold, String query)
        {
            this(name, binary, scroll, hold, SqlStatement.of(query));
        }

        /** The query's text as written. */
        public String query()
        {
            return statement.text();
        }
    }

    /**
     * {@code FETCH} or {@code MOVE} with its direction, reduced to one of three movements.
     *
     * @param move MOVE (no rows returned) rather than FETCH
     * @param direction how to move
     * @param count rows for {@link Direction#FORWARD} and {@link Direction#BACKWARD}
     *         ({@link Long#MAX_VALUE} for ALL); the target for {@link Direction#ABSOLUTE} and
     *         {@link Direction#RELATIVE}
     * @param cursor the cursor's name
     */
    record Fetch(boolean move, Direction direction, long count, String cursor)
            implements SessionStatement
    {
        /** Which way FETCH goes. */
        public enum Direction
        {
            FORWARD, BACKWARD, ABSOLUTE, RELATIVE, LAST
        }

        public Fetch
        {
            requireNonNull(direction, "direction is null");
            requireNonNull(cursor, "cursor is null");
        }
    }

    /**
     * {@code CLOSE name} or {@code CLOSE ALL}.
     *
     * @param cursor the cursor, or empty for ALL
     */
    record Close(Optional<String> cursor)
            implements SessionStatement
    {
        public Close
        {
            requireNonNull(cursor, "cursor is null");
        }
    }

    /**
     * {@code DEALLOCATE [PREPARE] name} or {@code DEALLOCATE [PREPARE] ALL}.
     *
     * @param statement the prepared statement, or empty for ALL
     */
    record Deallocate(Optional<String> statement)
            implements SessionStatement
    {
        public Deallocate
        {
            requireNonNull(statement, "statement is null");
        }
    }

    /**
     * {@code DISCARD {ALL | PLANS | SEQUENCES | TEMP | TEMPORARY}}.
     *
     * @param what ALL, PLANS, SEQUENCES or TEMP (upper case; TEMPORARY is given as TEMP)
     */
    record Discard(String what)
            implements SessionStatement
    {
        public Discard
        {
            requireNonNull(what, "what is null");
        }
    }

    /**
     * {@code CREATE [LOCAL | GLOBAL] TEMP[ORARY] TABLE [IF NOT EXISTS] name (...) [ON COMMIT ...]}.
     *
     * @param name the table's name (lower case unless quoted)
     * @param ifNotExists IF NOT EXISTS was given
     * @param asQuery the table is filled from a query ({@code AS ...})
     */
    record CreateTempTable(String name, boolean ifNotExists, boolean asQuery)
            implements SessionStatement
    {
        public CreateTempTable
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * {@code DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}.
     *
     * @param names the tables (each possibly qualified, the last part only)
     * @param ifExists IF EXISTS was given
     */
    record DropTable(List<String> names, boolean ifExists)
            implements SessionStatement
    {
        public DropTable
        {
            names = List.copyOf(names);
        }
    }

    /**
     * Parses a statement the gateway answers itself.
     *
     * @deprecated transitional: callers hand over a lexed statement to {@link StatementParser#parse}
     */
    @Deprecated
    static SessionStatement parse(String sql)
    {
        return StatementParser.parse(SqlStatement.of(sql)).command().orElseThrow(() -> new QueryException(SqlStates.SYNTAX_ERROR,
                "syntax error in session command: " + sql.strip(), "Write SET name TO value, RESET name or SHOW name.", null));
    }
}
