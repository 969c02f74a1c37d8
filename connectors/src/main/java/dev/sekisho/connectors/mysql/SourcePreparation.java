package dev.sekisho.connectors.mysql;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.sekisho.planner.spi.ColumnType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a statement with parameters is prepared at a MySQL source. One whose parameters are all
 * numbers or booleans goes through {@code prepareStatement}: with {@code useServerPrepStmts} (the
 * default) Connector/J keeps it prepared on the server per pooled connection and text, so each run
 * is one {@code COM_STMT_EXECUTE} that MariaDB does not parse again. One with a string, date, time,
 * binary or untyped parameter is prepared on the client, as text with the values inlined: a
 * server-side string parameter takes the collation of Connector/J's handshake, not the connection's
 * (set to the database's by {@link ReplicaPool}), and comparing it with a literal of the database's
 * collation fails with error 1267; temporal and floating-point parameters would be compared in the
 * binary protocol's types, which no suite has checked against the text protocol's answers.
 */
final class SourcePreparation
{
    private static final Set<ColumnType.Kind> SERVER_PREPARED = EnumSet.of(
            ColumnType.Kind.BOOLEAN,
            ColumnType.Kind.SMALLINT,
            ColumnType.Kind.INTEGER,
            ColumnType.Kind.BIGINT,
            ColumnType.Kind.DECIMAL);

    private SourcePreparation() {}

    static PreparedStatement prepare(Connection connection, String sql, List<ColumnType> parameterTypes)
            throws SQLException
    {
        if (mayPrepareOnServer(parameterTypes)) {
            return connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        }
        return connection.unwrap(JdbcConnection.class).clientPrepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    static boolean mayPrepareOnServer(List<ColumnType> parameterTypes)
    {
        for (ColumnType type : parameterTypes) {
            if (!SERVER_PREPARED.contains(type.kind())) {
                return false;
            }
        }
        return true;
    }
}
