package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A parsed statement of a session, named or unnamed (empty name).
 *
 * @param name the client's name for it; empty for the unnamed statement
 * @param statement the statement as the client sent it, lexed once
 * @param kind what kind of statement it is
 * @param query the plan, for statements the planner answers
 * @param command the parsed form, for SET, RESET and SHOW
 * @param parameterTypes the type of each parameter ($1, $2, ...); null entries where unknown
 * @param columns the result's columns; empty when the statement returns no rows
 * @param plannedFor what the planner was told when it planned {@link #query()}: a Bind under another
 *         policy snapshot or search path plans the statement again
 * @param annotation Redash's annotation that came before the statement (taken off {@code statement})
 * @param clientSql the text as the client sent it, Redash's annotation included, for the audit trail
 */
public record PreparedStatement(
        String name,
        SqlStatement statement,
        StatementKind kind,
        Optional<PreparedQuery> query,
        Optional<SessionStatement> command,
        List<ColumnType> parameterTypes,
        Optional<List<ResultColumn>> columns,
        Optional<SessionContext> plannedFor,
        Optional<RedashAnnotation> annotation,
        String clientSql)
{
    public PreparedStatement(String name, SqlStatement statement, StatementKind kind, Optional<PreparedQuery> query, Optional<SessionStatement> command,
            List<ColumnType> parameterTypes, Optional<List<ResultColumn>> columns, Optional<SessionContext> plannedFor)
    {
        this(name, statement, kind, query, command, parameterTypes, columns, plannedFor, Optional.empty(), statement.text());
    }

    public PreparedStatement(String name, SqlStatement statement, StatementKind kind, Optional<PreparedQuery> query, Optional<SessionStatement> command,
            List<ColumnType> parameterTypes, Optional<List<ResultColumn>> columns)
    {
        this(name, statement, kind, query, command, parameterTypes, columns, Optional.empty());
    }

    /** The statement's text. */
    public String sql()
    {
        return statement.text();
    }

    public PreparedStatement
    {
        requireNonNull(name, "name is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(query, "query is null");
        requireNonNull(command, "command is null");
        parameterTypes = Collections.unmodifiableList(new java.util.ArrayList<>(parameterTypes));
        requireNonNull(columns, "columns is null");
        requireNonNull(plannedFor, "plannedFor is null");
        requireNonNull(annotation, "annotation is null");
        requireNonNull(clientSql, "clientSql is null");
    }

    /** This statement, with the Redash annotation that came before it and the text the client sent. */
    public PreparedStatement withAnnotation(Optional<RedashAnnotation> annotation, String clientSql)
    {
        return new PreparedStatement(name, statement, kind, query, command, parameterTypes, columns, plannedFor, annotation, clientSql);
    }
}
