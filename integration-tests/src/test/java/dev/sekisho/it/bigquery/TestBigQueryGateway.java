package dev.sekisho.it.bigquery;

import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.core.Field;
import org.postgresql.jdbc.PgResultSetMetaData;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BigQuery tables through the gateway with pgjdbc: every BigQuery type with its PostgreSQL OID and
 * value, the shop's policy (masks and row filters per user) giving the same rows on the BigQuery
 * copy as on MariaDB, labels and {@code maximumBytesBilled} on every job, a client's cancel
 * cancelling the job, and BigQuery's errors reaching the client with a SQLSTATE and BigQuery's message.
 */
class TestBigQueryGateway
{
    private static TestingBigQueryGateway gateway;

    @BeforeAll
    static void start()
    {
        gateway = TestingBigQueryGateway.shared();
    }

    @Test
    void everyTypeWithItsOidAndValue()
            throws Exception
    {
        try (Connection connection = gateway.connect("admin");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM lake.all_types ORDER BY c_int64")) {
            Map<String, Integer> oids = new LinkedHashMap<>();
            ResultSetMetaData metaData = rows.getMetaData();
            java.lang.reflect.Field fieldsField = PgResultSetMetaData.class.getDeclaredField("fields");
            fieldsField.setAccessible(true);
            Field[] fields = (Field[]) fieldsField.get(metaData);
            for (int i = 0; i < fields.length; i++) {
                oids.put(metaData.getColumnLabel(i + 1), fields[i].getOID());
            }
            assertThat(oids).containsExactly(
                    Map.entry("c_int64", 20), Map.entry("c_float64", 701), Map.entry("c_numeric", 1700), Map.entry("c_bignumeric", 1700),
                    Map.entry("c_bool", 16), Map.entry("c_string", 25), Map.entry("c_bytes", 17), Map.entry("c_date", 1082),
                    Map.entry("c_datetime", 1114), Map.entry("c_time", 1083), Map.entry("c_timestamp", 1184), Map.entry("c_json", 114),
                    Map.entry("c_geography", 25), Map.entry("c_array", 1016), Map.entry("c_struct", 114));
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong("c_int64")).isEqualTo(9007199254740993L);
            assertThat(rows.getDouble("c_float64")).isEqualTo(1.5);
            assertThat(rows.getBigDecimal("c_numeric")).isEqualByComparingTo("12345678901234567890.123456789");
            assertThat(rows.getBigDecimal("c_bignumeric")).isEqualByComparingTo("123456789012345678901234567890123456.5");
            assertThat(rows.getBoolean("c_bool")).isTrue();
            assertThat(rows.getString("c_string")).isEqualTo("佐藤 it's");
            assertThat(rows.getBytes("c_bytes")).containsExactly(0, 0xff, 'a', 'b');
            assertThat(rows.getString("c_date")).isEqualTo("2024-02-29");
            assertThat(rows.getString("c_datetime")).isEqualTo("2024-02-29 13:14:15.123456");
            assertThat(rows.getString("c_time")).isEqualTo("23:59:58.5");
            assertThat(rows.getString("c_timestamp")).isEqualTo("2024-03-01 01:02:03.456789+00");
            assertThat(rows.getString("c_json")).isEqualTo("{\"a\":[1,2]}");
            assertThat(rows.getString("c_geography")).isEqualTo("POINT(139.69 35.69)");
            Array array = rows.getArray("c_array");
            assertThat((Long[]) array.getArray()).containsExactly(1L, 2L, 3L);
            assertThat(rows.getString("c_struct")).isEqualTo("{\"name\":\"pen\",\"qty\":3}");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject("c_int64")).isNull();
            assertThat(rows.getString("c_array")).isEqualTo("{}");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void policyGivesTheSameRowsOnBigQueryAsOnMySql()
            throws SQLException
    {
        for (String user : List.of("alice", "bob", "carol", "admin")) {
            for (String query : List.of(
                    "SELECT * FROM %s.customers ORDER BY id",
                    "SELECT id, customer_id, amount, status, note FROM %s.orders WHERE customer_id < 40 ORDER BY id",
                    "SELECT status, COUNT(*), SUM(amount) FROM %s.orders GROUP BY status ORDER BY status")) {
                List<List<Object>> mysql = rows(user, query.formatted("shop"));
                List<List<Object>> bigquery = rows(user, query.formatted("bq_shop"));
                assertThat(mysql).as(user + ": " + query).isNotEmpty();
                assertThat(bigquery).as(user + ": " + query).isEqualTo(mysql);
            }
        }
        // the policy did apply: alice (analyst, JP) sees masked names of JP customers only, admin everything
        assertThat(rows("alice", "SELECT DISTINCT region FROM bq_shop.customers")).containsExactly(List.of("JP"));
        assertThat(rows("admin", "SELECT COUNT(DISTINCT region) FROM bq_shop.customers")).containsExactly(List.of(new BigDecimal("3")));
        List<RecordedJob> jobs = gateway.fixture().jobs();
        RecordedJob customers = jobs.stream().filter(job -> job.sql().contains("bq_shop.customers") && job.labels().get("sekisho_user").equals("alice"))
                .findFirst().orElseThrow();
        // the masks and the row filter ran inside BigQuery, with the user's region bound as a parameter
        assertThat(customers.sql()).contains("REGEXP_REPLACE", "WHERE").doesNotContain("'JP'");
        assertThat(customers.parameterTypes()).contains("STRING");
    }

    @Test
    void labelsAndMaximumBytesBilledOnEveryJob()
            throws SQLException
    {
        try (Connection connection = gateway.connect("bob"); Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = 'Tableau Desktop'");
            statement.execute("SET sekisho.end_user = 'Hanako.Yamada@example.jp'");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM lake.orders WHERE status = 'paid'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(10);
            }
        }
        RecordedJob last = gateway.fixture().jobs().get(gateway.fixture().jobs().size() - 1);
        assertThat(last.labels()).containsEntry("sekisho_user", "bob");
        assertThat(last.labels().get("sekisho_app")).matches("tableau_desktop-[0-9a-f]{12}");
        assertThat(last.labels().get("sekisho_end_user")).matches("hanako_yamada_example_jp-[0-9a-f]{12}");
        for (RecordedJob job : gateway.fixture().jobs()) {
            assertThat(job.maximumBytesBilled()).as(job.sql()).isNotNull().isPositive();
            assertThat(job.labels()).as(job.sql()).containsKeys("sekisho_user", "sekisho_query_id");
        }
    }

    @Test
    void cancelFromTheClientCancelsTheJob()
            throws Exception
    {
        TestingBigQueryServer fixture = gateway.fixture();
        fixture.holdJobs(true);
        try (Connection connection = gateway.connect("admin"); Statement statement = connection.createStatement()) {
            int jobsBefore = fixture.jobs().size();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (ResultSet rows = statement.executeQuery("SELECT id FROM lake.orders WHERE customer_id = 2")) {
                    rows.next();
                }
                catch (SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (fixture.jobs().size() == jobsBefore) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            String jobId = fixture.jobs().get(fixture.jobs().size() - 1).jobId();
            while (fixture.requests().stream().noneMatch(request -> request.contains("/queries/" + jobId))) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            statement.cancel();
            assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("canceling statement due to user request")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
            while (!fixture.cancelledJobs().contains(jobId)) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            // the connection survives the cancel
            fixture.holdJobs(false);
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM lake.orders")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(20);
            }
        }
        finally {
            fixture.holdJobs(false);
        }
    }

    @Test
    void bigQueryErrorsReachTheClient()
            throws SQLException
    {
        try (Connection connection = gateway.connect("admin"); Statement statement = connection.createStatement()) {
            // the fixture bills as BigQuery does (at least 10 MB for a query that reads a table); the source allows 1000 bytes
            assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM limited.events"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Query exceeded limit for bytes billed: 1000. 10485760 or higher required.")
                    .hasMessageContaining("maximum_bytes_billed")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("54000");
            gateway.fixture().failNextQuery(403, "accessDenied", "Access Denied: Table sekisho-test:lake.orders: User does not have permission to query table.");
            assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM lake.orders"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access Denied: Table sekisho-test:lake.orders: User does not have permission to query table.")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
            // a statement never costs the connection
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM lake.orders")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void parametersAreBoundNotSpliced()
            throws SQLException
    {
        try (Connection connection = gateway.connect("admin");
                PreparedStatement statement = connection.prepareStatement("SELECT id FROM lake.orders WHERE status = ? AND amount > ? ORDER BY id")) {
            statement.setString(1, "shipped' OR '1'='1");
            statement.setBigDecimal(2, BigDecimal.ZERO);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isFalse();
            }
            statement.setString(1, "shipped");
            statement.setBigDecimal(2, new BigDecimal("100"));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            assertThat(ids).containsExactly(13L, 17L);
        }
        RecordedJob last = gateway.fixture().jobs().get(gateway.fixture().jobs().size() - 1);
        assertThat(last.sql()).doesNotContain("shipped").contains("?");
        assertThat(last.parameterTypes()).containsExactly("STRING", "NUMERIC");
    }

    /** A statement's rows as values that compare across sources: numbers by value, the rest as text. */
    private static List<List<Object>> rows(String user, String sql)
            throws SQLException
    {
        try (Connection connection = gateway.connect(user); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    row.add(value instanceof Number number ? new BigDecimal(number.toString()).stripTrailingZeros()
                            : value == null ? null : value.toString());
                }
                result.add(row);
            }
            return result;
        }
    }
}
