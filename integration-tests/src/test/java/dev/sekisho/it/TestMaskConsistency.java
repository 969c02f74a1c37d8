package dev.sekisho.it;

import dev.sekisho.connectors.mysql.MySqlConfig;
import dev.sekisho.connectors.mysql.MySqlConnector;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingMaskSamples;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.mask.ReferenceMasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.sekisho.planner.testing.TestingMaskSamples.COLUMNS;
import static dev.sekisho.planner.testing.TestingMaskSamples.SALT;
import static dev.sekisho.planner.testing.TestingMaskSamples.assertMasked;
import static dev.sekisho.planner.testing.TestingMaskSamples.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in mask evaluated by MariaDB 11.4 (the SQL the planner pushes down to a MySQL
 * source, run through the real MySQL connector) gives exactly the value
 * {@link ReferenceMasks} defines, over the same samples the planner's BigQuery (ZetaSQL) and
 * local-engine tests use ({@link TestingMaskSamples}, from the planner's test jar).
 */
class TestMaskConsistency
{
    private static final String DATABASE = "mask_consistency";
    private static final String POLICY = TestingMaskSamples.policy(DATABASE);

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
        try (ResultStream stream = query.execute(List.of(), ExecutionContext.uncancellable("alice"))) {
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
        assertMasked("MariaDB", rows);
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
}
