package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

public class TestMySqlErrors
{
    @Test
    public void testGuardMarkerInAWarningRaisesItsError()
    {
        String marker = dev.sekisho.planner.spi.RaisedErrors.marker("22011", "negative substring length not allowed");
        Optional<QueryException> raised = MySqlErrors.fromWarnings(new java.sql.SQLWarning("Truncated incorrect INTEGER value: '" + marker + "'", "22007", 1292));
        assertThat(raised).hasValueSatisfying(error -> {
            assertThat(error.sqlState()).isEqualTo("22011");
            assertThat(error.getMessage()).isEqualTo("negative substring length not allowed");
        });
        // an ordinary truncation stays what it was
        assertThat(MySqlErrors.fromWarnings(new java.sql.SQLWarning("Truncated incorrect INTEGER value: 'abc'", "22007", 1292)))
                .hasValueSatisfying(error -> assertThat(error.sqlState()).isEqualTo("22P02"));
    }

    @Test
    public void testErrorCodes()
    {
        assertMapped(new SQLException("Table 'shop.x' doesn't exist", "42S02", 1146), "42P01");
        assertMapped(new SQLException("Unknown column 'y' in 'field list'", "42S22", 1054), "42703");
        assertMapped(new SQLException("You have an error in your SQL syntax", "42000", 1064), "42601");
        assertMapped(new SQLException("Unknown database 'nope'", "42000", 1049), "3F000");
        assertMapped(new SQLException("Division by 0", "22012", 1365), "22012");
        assertMapped(new SQLException("Query execution was interrupted", "70100", 1317), "57014");
        assertMapped(new SQLException("Query execution was interrupted (max_statement_time exceeded)", "70100", 1969), "57014");
        assertMapped(new SQLException("Column 'a' in field list is ambiguous", "23000", 1052), "42702");
        assertMapped(new SQLException("something new", "42000", 9999), "42000");
        assertMapped(new SQLException("Illegal mix of collations (latin1_swedish_ci,IMPLICIT) and (utf8mb4_bin,IMPLICIT) for operation '='",
                "HY000", 1267), "42P21");
        assertMapped(new SQLException("Illegal mix of collations for operation 'concat'", "HY000", 1271), "42P21");
        assertMapped(new SQLException("something else", "HY000", 9998), "XX000");
        assertMapped(new SQLException("no state at all"), "XX000");
    }

    @Test
    public void testServerTextThatCanQuoteValuesIsNotPassedOn()
    {
        // Connector/J writes bound values into the statement text, and MySQL quotes it back
        QueryException syntax = MySqlErrors.toQueryException(new SQLException(
                "You have an error in your SQL syntax; check the manual near 'SHA2(CONCAT('pepper', `email`), 256)' at line 1", "42000", 1064),
                "shop", "replica-1", Optional.empty());
        assertThat(syntax.sqlState()).isEqualTo("42601");
        assertThat(syntax.getMessage()).contains("MySQL error 1064").doesNotContain("pepper", "email");
        QueryException truncated = MySqlErrors.toQueryException(new SQLException(
                "Truncated incorrect DOUBLE value: 'alice@example.com'", "22007", 1292), "shop", "replica-1", Optional.empty());
        assertThat(truncated.getMessage()).contains("MySQL error 1292").doesNotContain("alice");
        QueryException denied = MySqlErrors.toQueryException(new SQLException(
                "SELECT command denied to user 'sekisho_reader'@'10.1.2.3' for table 'user'", "42000", 1142), "shop", "replica-1", Optional.empty());
        assertThat(denied.getMessage()).doesNotContain("sekisho_reader", "10.1.2.3");
        QueryException unknownTable = MySqlErrors.toQueryException(new SQLException(
                "Table 'shop.gone' doesn't exist", "42S02", 1146), "shop", "replica-1", Optional.empty());
        assertThat(unknownTable.getMessage()).contains("shop.gone");
    }

    @Test
    public void testCollationMismatchSaysWhatToChangeWithoutTheServerText()
    {
        QueryException mismatch = MySqlErrors.toQueryException(new SQLException(
                "Illegal mix of collations (latin1_swedish_ci,IMPLICIT) and (utf8mb4_general_ci,COERCIBLE) for operation '='", "HY000", 1267),
                "shop", "replica-1", Optional.empty());
        assertThat(mismatch.sqlState()).isEqualTo("42P21");
        assertThat(mismatch.getMessage()).contains("collations", "MySQL error 1267");
        assertThat(mismatch.hint()).contains("collation at the source");
    }

    @Test
    public void testOnlyMissingTablesAndColumnsSuggestTheSchemaChanged()
    {
        QueryException table = MySqlErrors.toQueryException(new SQLException("Table 'shop.gone' doesn't exist", "42S02", 1146), "shop", "r1", Optional.empty());
        assertThat(table.hint()).contains("tables changed");
        QueryException column = MySqlErrors.toQueryException(new SQLException("Unknown column 'x' in 'field list'", "42S22", 1054), "shop", "r1", Optional.empty());
        assertThat(column.hint()).contains("tables changed");
        QueryException function = MySqlErrors.toQueryException(new SQLException("FUNCTION shop.ARRAY_AGG does not exist", "42000", 1305), "shop", "r1",
                Optional.empty());
        assertThat(function.sqlState()).isEqualTo("42883");
        assertThat(function.getMessage()).contains("ARRAY_AGG");
        assertThat(function.hint()).doesNotContain("tables changed").contains("Sekisho bug");
    }

    @Test
    public void testUserCancelMessage()
    {
        QueryException e = MySqlErrors.toQueryException(new SQLException("Query execution was interrupted", "70100", 1317), "shop", "replica-1", Optional.empty());
        assertThat(e.getMessage()).isEqualTo("canceling statement due to user request");
        QueryException cancelled = MySqlErrors.toQueryException(new SQLException("Communications link failure", "08S01", 0), "shop", "replica-1", Optional.of("canceling statement due to user request"));
        assertThat(cancelled.sqlState()).isEqualTo("57014");
    }

    @Test
    public void testConnectionFailuresHideDriverText()
    {
        QueryException e = MySqlErrors.toQueryException(
                new SQLNonTransientConnectionException("Communications link failure to db-internal.example:3306 as sekisho", "08S01", 0),
                "shop",
                "replica-1",
                Optional.empty());
        assertThat(e.sqlState()).isEqualTo("08006");
        assertThat(e.getMessage()).contains("replica-1", "shop").doesNotContain("db-internal", "sekisho");

        QueryException denied = MySqlErrors.toQueryException(new SQLException("Access denied for user 'sekisho'@'10.0.0.1' (using password: YES)", "28000", 1045), "shop", "replica-1", Optional.empty());
        assertThat(denied.sqlState()).isEqualTo("28000");
        assertThat(denied.getMessage()).doesNotContain("10.0.0.1");
    }

    private static void assertMapped(SQLException e, String sqlState)
    {
        QueryException mapped = MySqlErrors.toQueryException(e, "shop", "replica-1", Optional.empty());
        assertThat(mapped.sqlState()).as(e.getMessage()).isEqualTo(sqlState);
        assertThat(mapped.getCause()).isSameAs(e);
    }
}
