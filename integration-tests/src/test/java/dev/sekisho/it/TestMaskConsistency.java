package dev.sekisho.it;

import dev.sekisho.connectors.mysql.MySqlConfig;
import dev.sekisho.connectors.mysql.MySqlConnector;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.calcite.CalciteQueryPlanner;
import dev.sekisho.planner.calcite.PlannerOptions;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.mask.ReferenceMasks;
import dev.sekisho.policies.model.Mask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in mask evaluated by MariaDB 11.4 (the SQL the planner pushes down to a MySQL
 * source, run through the real MySQL connector) gives exactly the value
 * {@link ReferenceMasks} defines, over the same samples the planner's BigQuery (ZetaSQL) and
 * local-engine tests use ({@code TestingMaskSamples} in the planner's tests; keep them in step).
 */
class TestMaskConsistency
{
    private static final String SALT = "pepper";
    private static final String DATABASE = "mask_consistency";

    private static final List<String> TEXTS = List.of(
            "090-1234-5678", "03-1234-5678", "+81 90 1234 5678", "+81-3-1234-5678", "(03) 1234-5678", "09012345678",
            "+1 (415) 555-0132", "tel. 090 1234 5678 (ext. 12)", "０９０－１２３４－５６７８", "5678", "123", "1", "", "a",
            "alice@example.com", "a@b.co.jp", "not-an-email", "x@y@z.com", "@example.com", "trailing@", "佐藤@例え.jp",
            "佐藤 陽翔", "Suzuki", "ab", "line\nbreak 12345", "it's \\ 0123456", "1234567890");
    private static final List<BigDecimal> DECIMALS = List.of(new BigDecimal("1249.99"), new BigDecimal("1250.00"), new BigDecimal("-1250.00"),
            new BigDecimal("49.99"), new BigDecimal("-49.99"), new BigDecimal("0.00"), new BigDecimal("50.00"), new BigDecimal("-50.00"),
            new BigDecimal("149.50"), new BigDecimal("99999999.99"));
    private static final List<Double> DOUBLES = List.of(0.74, 0.75, -0.75, 1.25, 3.0, -0.24, 0.25, -0.25, 0.35, -0.35, 0.05, 1.0E9 + 0.25);
    private static final List<Integer> INTEGERS = List.of(1249, 1250, -1250, 50, -50, 7, 149, -149, 0, 2_147_483_600);
    private static final List<LocalDate> DATES = List.of(LocalDate.of(1990, 6, 15), LocalDate.of(2024, 2, 29), LocalDate.of(2000, 1, 1),
            LocalDate.of(1969, 12, 31), LocalDate.of(1999, 12, 31));
    private static final List<LocalDateTime> TIMESTAMPS = List.of(LocalDateTime.of(2000, 12, 31, 23, 59, 59), LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000),
            LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));

    private static final List<String> COLUMNS = List.of("id", "p1", "p2", "p0", "pl", "em", "ph", "hs", "rd", "sq", "hi", "rn", "rb", "yd", "yt",
            "rdec", "rdbl", "rdbl1", "rint", "nu");

    private static final String POLICY = """
            tables:
              %s.people:
                allow: ["group:everyone"]
                columns:
                  p1:    {mask: {partial: {keep_first: 1}}}
                  p2:    {mask: {partial: {keep_first: 2, keep_last: 3, mask_char: '#'}}}
                  p0:    {mask: partial}
                  pl:    {mask: {partial: {keep_last: 4}}}
                  em:    {mask: email}
                  ph:    {mask: phone}
                  hs:    {mask: hash}
                  rd:    {mask: redact}
                  sq:    {mask: {sql: "concat(left(p1, 1), '***')"}}
                  hi:    {mask: hash}
                  rn:    {mask: redact}
                  rb:    {mask: redact}
                  yd:    {mask: year}
                  yt:    {mask: year}
                  rdec:  {mask: {round: 100}}
                  rdbl:  {mask: {round: 0.5}}
                  rdbl1: {mask: {round: 0.1}}
                  rint:  {mask: {round: 100}}
                  nu:    {mask: nullify}
            """.formatted(DATABASE);

    private static RecordingConnector connector;

    @BeforeAll
    static void createSamples()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection connection = gateway.connectDirect("mysql"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            statement.execute("""
                    CREATE TABLE %s.people (
                      id INT NOT NULL PRIMARY KEY,
                      p1 VARCHAR(100), p2 VARCHAR(100), p0 VARCHAR(100), pl VARCHAR(100), em VARCHAR(100), ph VARCHAR(100),
                      hs VARCHAR(100), rd VARCHAR(100), sq VARCHAR(100),
                      hi INT, rn DECIMAL(10, 2), rb BOOLEAN, yd DATE, yt DATETIME(6),
                      rdec DECIMAL(10, 2), rdbl DOUBLE, rdbl1 DOUBLE, rint INT, nu TEXT)
                    """.formatted(DATABASE));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + DATABASE + ".people VALUES (" + "?, ".repeat(COLUMNS.size() - 1) + "?)")) {
                for (List<Object> row : rows()) {
                    for (int i = 0; i < row.size(); i++) {
                        insert.setObject(i + 1, row.get(i));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        MySqlConfig.Server server = new MySqlConfig.Server("embedded", "jdbc:mysql://127.0.0.1:" + gateway.mariaDb().port(), "root", null);
        connector = new RecordingConnector(new MySqlConnector(new MySqlConfig("masks", null, List.of(server), List.of(DATABASE), false,
                Map.of(), MySqlConfig.Pool.DEFAULT)));
    }

    @AfterAll
    static void dropSamples()
            throws Exception
    {
        if (connector != null) {
            connector.close();
        }
        try (Connection connection = TestingGateway.shared().connectDirect("mysql"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    @Test
    void masksInMariaDbEqualReference()
    {
        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("masks.yaml", POLICY)));
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(connector), PlannerOptions.defaults().withHashSalt(SALT));
        PreparedQuery query = planner.prepare("SELECT * FROM people", List.of(), SessionContext.withPolicy(Principal.of("alice"), policies, List.of(DATABASE)));
        assertThat(query.isFullyPushedDown()).isTrue();

        List<List<Object>> rows = new ArrayList<>();
        try (ResultStream stream = query.execute(List.of(), new TestingContext())) {
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    row.add(stream.value(i));
                }
                rows.add(row);
            }
        }

        // every mask ran inside MariaDB: the statement it got computes them, with the salt bound
        BackendQuery sent = connector.queries.get(connector.queries.size() - 1);
        assertThat(sent.sql()).contains("REGEXP_REPLACE(`ph`", "SHA2(CONCAT(?, `hs`), 256)", "MAKEDATE(YEAR(`yd`), 1)", "ROUND(");
        assertThat(sent.sql()).doesNotContain(SALT);
        assertThat(sent.parameters()).containsExactly(SALT, SALT);
        assertMasked(rows);
    }

    private static List<List<Object>> rows()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int id = 0; id < TEXTS.size(); id++) {
            String text = TEXTS.get(id);
            List<Object> row = new ArrayList<>();
            row.add(id);
            for (int i = 0; i < 9; i++) {
                row.add(text);
            }
            row.add(id * 37 - 100);
            row.add(DECIMALS.get(id % DECIMALS.size()));
            row.add(id % 2 == 0);
            row.add(DATES.get(id % DATES.size()));
            row.add(TIMESTAMPS.get(id % TIMESTAMPS.size()));
            row.add(DECIMALS.get(id % DECIMALS.size()));
            row.add(DOUBLES.get(id % DOUBLES.size()));
            row.add(DOUBLES.get((id + 3) % DOUBLES.size()));
            row.add(INTEGERS.get(id % INTEGERS.size()));
            row.add(text);
            rows.add(row);
        }
        List<Object> nulls = new ArrayList<>(Arrays.asList(new Object[COLUMNS.size()]));
        nulls.set(0, TEXTS.size());
        rows.add(nulls);
        return rows;
    }

    private static Object expected(String name, Object raw)
    {
        return switch (name) {
            case "p1" -> ReferenceMasks.partial((String) raw, new Mask.Partial(1, 0, "*"));
            case "p2" -> ReferenceMasks.partial((String) raw, new Mask.Partial(2, 3, "#"));
            case "p0" -> ReferenceMasks.partial((String) raw, new Mask.Partial(0, 0, "*"));
            case "pl" -> ReferenceMasks.partial((String) raw, new Mask.Partial(0, 4, "*"));
            case "em" -> ReferenceMasks.email((String) raw);
            case "ph" -> ReferenceMasks.phone((String) raw);
            case "hs" -> ReferenceMasks.hash(SALT, (String) raw);
            case "rd" -> ReferenceMasks.REDACTED_TEXT;
            // PostgreSQL: concat() skips NULL arguments, left('', 1) is ''
            case "sq" -> (raw == null || ((String) raw).isEmpty() ? "" : ((String) raw).substring(0, ((String) raw).offsetByCodePoints(0, 1))) + "***";
            case "hi" -> raw == null ? null : ReferenceMasks.hash(SALT, raw.toString());
            case "rn" -> ReferenceMasks.REDACTED_NUMBER;
            case "rb" -> false;
            case "yd" -> ReferenceMasks.year((LocalDate) raw);
            case "yt" -> ReferenceMasks.year((LocalDateTime) raw);
            case "rdec" -> raw == null ? null : ReferenceMasks.round((BigDecimal) raw, new BigDecimal("100"));
            case "rdbl" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Double) raw), new BigDecimal("0.5"));
            case "rdbl1" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Double) raw), new BigDecimal("0.1"));
            case "rint" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Integer) raw), new BigDecimal("100"));
            case "nu" -> null;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void assertMasked(List<List<Object>> actual)
    {
        List<List<Object>> source = rows();
        assertThat(actual).hasSize(source.size());
        for (List<Object> row : actual) {
            assertThat(row).hasSize(COLUMNS.size());
            int id = ((Number) row.get(0)).intValue();
            for (int i = 1; i < COLUMNS.size(); i++) {
                String name = COLUMNS.get(i);
                Object raw = source.get(id).get(i);
                Object expected = expected(name, raw);
                Object value = row.get(i);
                String description = "MariaDB: mask of column %s over %s".formatted(name, raw instanceof String text ? "'" + text + "'" : raw);
                if (expected instanceof BigDecimal decimal) {
                    assertThat(value).as(description).isNotNull();
                    assertThat(new BigDecimal(value.toString())).as(description).isEqualByComparingTo(decimal);
                }
                else {
                    assertThat(value).as(description).isEqualTo(expected);
                }
            }
        }
    }

    /** The MySQL connector, remembering the statements it was given. */
    private static final class RecordingConnector
            implements Connector
    {
        private final Connector delegate;
        private final List<BackendQuery> queries = new CopyOnWriteArrayList<>();

        RecordingConnector(Connector delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public String name()
        {
            return delegate.name();
        }

        @Override
        public SqlDialectKind dialect()
        {
            return delegate.dialect();
        }

        @Override
        public ConnectorMetadata metadata()
        {
            return delegate.metadata();
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            queries.add(query);
            return delegate.execute(query, context);
        }

        @Override
        public Set<ConnectorCapability> capabilities()
        {
            return delegate.capabilities();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }

    private static final class TestingContext
            implements ExecutionContext
    {
        @Override
        public String user()
        {
            return "alice";
        }

        @Override
        public Registration onCancel(Runnable action)
        {
            return () -> {};
        }

        @Override
        public boolean isCancelled()
        {
            return false;
        }

        @Override
        public Optional<String> cancelReason()
        {
            return Optional.empty();
        }
    }
}
