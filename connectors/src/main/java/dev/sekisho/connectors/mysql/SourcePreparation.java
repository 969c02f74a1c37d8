package dev.sekisho.connectors.mysql;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.sekisho.planner.spi.BackendQuery;
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
 * numbers or booleans, or text the planner found free of collation, goes through
 * {@code prepareStatement}: with {@code useServerPrepStmts} (the default) Connector/J keeps it
 * prepared on the server per pooled connection and text, so each run is one
 * {@code COM_STMT_EXECUTE} that MariaDB does not parse again. One with any other text parameter, or
 * a date, time, binary or untyped one, is prepared on the client, as text with the values inlined: a
 * server-side string parameter takes the collation of Connector/J's handshake, not the connection's
 * (set to the database's by {@link ReplicaPool}), and comparing it with a literal of the database's
 * collation fails with error 1267. A text parameter compared only with a base table's column (whose
 * collation wins) or only cast to bytes cannot meet that error nor change the answer
 * ({@link BackendQuery#collationFreeParameters()}). Temporal and floating-point parameters would be
 * compared in the binary protocol's types, which no suite has checked against the text protocol's
 * answers.
 */
final class SourcePreparation
{
    private static final Set<ColumnType.Kind> SERVER_PREPARED = EnumSet.of(
            ColumnType.Kind.BOOLEAN,
            ColumnType.Kind.SMALLINT,
            ColumnType.Kind.INTEGER,
            ColumnType.Kind.BIGINT,
            ColumnType.Kind.DECIMAL);

    private static final Set<ColumnType.Kind> TEXT = EnumSet.of(ColumnType.Kind.CHAR, ColumnType.Kind.VARCHAR, ColumnType.Kind.TEXT);

    private SourcePreparation() {}

    static PreparedStatement prepare(Connection connection, BackendQuery query)
            throws SQLException
    {
        return prepare(connection, query.sql(), query);
    }

    /** Prepares {@code sql}, which has {@code query}'s parameters (e.g. {@code EXPLAIN} of its statement). */
    static PreparedStatement prepare(Connection connection, String sql, BackendQuery query)
            throws SQLException
    {
        if (mayPrepareOnServer(query.parameterTypes(), query.collationFreeParameters())) {
            return connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        }
        return connection.unwrap(JdbcConnection.class).clientPrepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    static boolean mayPrepareOnServer(List<ColumnType> parameterTypes, Set<Integer> collationFreeParameters)
    {
        for (int i = 0; i < parameterTypes.size(); i++) {
            ColumnType.Kind kind = parameterTypes.get(i).kind();
            if (!SERVER_PREPARED.contains(kind) && !(TEXT.contains(kind) && collationFreeParameters.contains(i))) {
                return false;
            }
        }
        return true;
    }
}
