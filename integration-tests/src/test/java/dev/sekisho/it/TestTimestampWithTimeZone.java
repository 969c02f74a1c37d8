package dev.sekisho.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code timestamp with time zone} in the session's {@code TimeZone}, checked against a real
 * PostgreSQL 15 over pgjdbc: the same statements under a zone with a half-hour offset, one with a
 * daylight-saving change and UTC, in text and in binary results. The differential corpus runs in
 * the session's default zone; this test moves the zone, which the corpus cannot do per statement.
 */
class TestTimestampWithTimeZone
{
    private static final List<String> ZONES = List.of("Asia/Kolkata", "America/New_York", "UTC");
    private static final List<String> STATEMENTS = List.of(
            "SELECT ordered_at::timestamptz, date_trunc('day', ordered_at::timestamptz), extract(hour FROM ordered_at::timestamptz) FROM shop.orders WHERE id = 5",
            "SELECT date_trunc('month', birth_date), date_trunc('week', DATE '2024-03-10') FROM shop.customers WHERE id = 1",
            "SELECT '2024-03-15 10:20:30.5+09'::timestamptz, '2024-03-15 10:20:30'::timestamptz, TIMESTAMPTZ '2024-03-10 01:30:00-05:30'",
            "SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00' - INTERVAL '1 day', TIMESTAMPTZ '2024-03-10 12:00:00+00' + INTERVAL '1 month', "
                    + "TIMESTAMPTZ '2024-03-10 12:00:00+00' - INTERVAL '3 hours'",
            "SELECT TIMESTAMP '2024-01-01 12:00' AT TIME ZONE 'Asia/Tokyo', TIMESTAMPTZ '2024-01-01 12:00:00+00' AT TIME ZONE 'America/New_York', "
                    + "ordered_at AT TIME ZONE 'UTC' FROM shop.orders WHERE id = 5",
            "SELECT to_timestamp(1700000000.25), to_char(TIMESTAMPTZ '2024-03-15 23:30:00+00', 'YYYY-MM-DD HH24:MI'), TIMESTAMPTZ '2024-03-15 23:30:00+00'::date, "
                    + "TIMESTAMPTZ '2024-03-15 23:30:00+00'::timestamp, TIMESTAMPTZ '2024-03-15 23:30:00+00'::text",
            "SELECT TIMESTAMPTZ '2024-03-15 10:20:30+00' = TIMESTAMP '2024-03-15 15:50:30', TIMESTAMPTZ '2024-03-15 10:20:30+00' - TIMESTAMP '2024-03-15 00:00:00'",
            "SELECT date_trunc('day', ordered_at::timestamptz) AS d, count(*) FROM shop.orders WHERE ordered_at < TIMESTAMP '2023-01-04 00:00:00' GROUP BY 1 ORDER BY 1",
            "SELECT id, ordered_at::timestamptz FROM shop.orders WHERE ordered_at >= TIMESTAMPTZ '2023-11-10 00:00:00+00' ORDER BY ordered_at::timestamptz, id LIMIT 3",
            "SELECT count(*) FROM shop.orders WHERE ordered_at::timestamptz < '2023-06-01'",
            "SELECT pg_typeof(now()), pg_typeof(current_timestamp), now() - now(), extract(hour FROM now()) = extract(hour FROM now() AT TIME ZONE "
                    + "current_setting('TimeZone'))");

    private static TestingGateway gateway;
    private static TestingPostgres postgres;

    @BeforeAll
    static void setUp()
    {
        gateway = TestingGateway.shared();
        postgres = TestingPostgres.shared();
    }

    @Test
    void answersAsPostgresInEachZone()
            throws SQLException
    {
        try (Connection reference = connect(postgres.port(), TestingPostgres.DATABASE, TestingPostgres.USER, "", false);
                Connection sekisho = connect(gateway.pgPort(), "sekisho", "admin", "admin" + TestingGateway.PASSWORD_SUFFIX, false)) {
            for (String zone : ZONES) {
                execute(reference, "SET TimeZone = '" + zone + "'");
                execute(sekisho, "SET TimeZone = '" + zone + "'");
                for (String sql : STATEMENTS) {
                    assertThat(rows(sekisho, sql)).as("%s in %s", sql, zone).isEqualTo(rows(reference, sql));
                }
            }
        }
    }

    @Test
    void showsOffsetsAsPostgresPrintsThem()
            throws SQLException
    {
        try (Connection sekisho = connect(gateway.pgPort(), "sekisho", "admin", "admin" + TestingGateway.PASSWORD_SUFFIX, false)) {
            execute(sekisho, "SET TimeZone = 'Asia/Tokyo'");
            assertThat(values(sekisho, "SELECT TIMESTAMPTZ '2024-01-01 12:00:00+00', TIMESTAMPTZ '2024-01-01 12:00:00.125+00'"))
                    .containsExactly(List.of("2024-01-01 21:00:00+09", "2024-01-01 21:00:00.125+09"));
            execute(sekisho, "SET TimeZone = 'Asia/Kolkata'");
            assertThat(values(sekisho, "SELECT TIMESTAMPTZ '2024-01-01 12:00:00+00'")).containsExactly(List.of("2024-01-01 17:30:00+05:30"));
        }
    }

    @Test
    void binaryResultsAreTheSameInstants()
            throws SQLException
    {
        String sql = "SELECT ordered_at::timestamptz, date_trunc('month', ordered_at::timestamptz) FROM shop.orders WHERE id = ?";
        try (Connection reference = connect(postgres.port(), TestingPostgres.DATABASE, TestingPostgres.USER, "", true);
                Connection sekisho = connect(gateway.pgPort(), "sekisho", "admin", "admin" + TestingGateway.PASSWORD_SUFFIX, true)) {
            execute(reference, "SET TimeZone = 'America/New_York'");
            execute(sekisho, "SET TimeZone = 'America/New_York'");
            assertThat(instants(sekisho, sql)).isEqualTo(instants(reference, sql)).hasSize(2);
        }
    }

    @Test
    void errorsAsPostgresRaisesThem()
            throws SQLException
    {
        try (Connection sekisho = connect(gateway.pgPort(), "sekisho", "admin", "admin" + TestingGateway.PASSWORD_SUFFIX, false)) {
            assertThatThrownBy(() -> rows(sekisho, "SELECT 'garbage'::timestamptz"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22007"));
            assertThatThrownBy(() -> rows(sekisho, "SELECT '2024-02-30 10:00'::timestamptz"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22008"));
            assertThatThrownBy(() -> rows(sekisho, "SELECT TIMESTAMP '2024-01-01 12:00' AT TIME ZONE 'Mars/Olympus'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
            // not supported yet: an error that says so, never another type's value
            assertThatThrownBy(() -> rows(sekisho, "SELECT TIMESTAMPTZ '2024-01-01 12:00:00+00'::time"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            // the connection is still usable
            assertThat(values(sekisho, "SELECT 1")).containsExactly(List.of("1"));
        }
    }

    private static List<OffsetDateTime> instants(Connection connection, String sql)
            throws SQLException
    {
        List<OffsetDateTime> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, 5);
            try (ResultSet resultSet = statement.executeQuery()) {
                while (resultSet.next()) {
                    values.add(resultSet.getObject(1, OffsetDateTime.class));
                    values.add(resultSet.getObject(2, OffsetDateTime.class));
                }
            }
        }
        return values;
    }

    /** The values of the rows, without the header. */
    private static List<List<String>> values(Connection connection, String sql)
            throws SQLException
    {
        List<List<String>> rows = rows(connection, sql);
        return rows.subList(1, rows.size());
    }

    /** Column names and type names, then the rows' values as text. */
    private static List<List<String>> rows(Connection connection, String sql)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= resultSet.getMetaData().getColumnCount(); i++) {
                header.add(resultSet.getMetaData().getColumnLabel(i) + ":" + resultSet.getMetaData().getColumnTypeName(i));
            }
            rows.add(header);
            while (resultSet.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= resultSet.getMetaData().getColumnCount(); i++) {
                    row.add(resultSet.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void execute(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** pgjdbc in text format, or (binary) with every statement's results in binary. */
    private static Connection connect(int port, String database, String user, String password, boolean binary)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("binaryTransfer", Boolean.toString(binary));
        if (binary) {
            properties.setProperty("prepareThreshold", "-1");
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }
}
