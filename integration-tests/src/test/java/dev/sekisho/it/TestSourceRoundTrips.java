package dev.sekisho.it;

import com.mysql.cj.jdbc.JdbcConnection;
import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A point lookup through the gateway costs MariaDB one statement, read from MariaDB's own
 * {@code Com_*} counters around 100 lookups. With the text protocol ({@code useServerPrepStmts=false})
 * each lookup is exactly one {@code SELECT} (Connector/J's streaming mode used to wrap each in two
 * {@code SET net_write_timeout} statements). By default ({@code useServerPrepStmts=true}) a source
 * statement with numeric parameters, or string parameters compared only with columns, is prepared on the server once
 * per pooled connection and text, so each lookup is
 * exactly one {@code COM_STMT_EXECUTE} and nothing else (no prepare, close or {@code SET} once
 * warm); MariaDB counts such an execution twice, as {@code Com_stmt_execute} and as the statement it
 * runs ({@code Com_select}), which the tests measure on a direct server-prepared lookup too.
 * The source's health checks ({@code DO 1}, {@code SHOW ...}) run beside them and are not counted.
 */
public class TestSourceRoundTrips
{
    private static final int LOOKUPS = 100;

    /** Warm-up rounds at most, until a round prepares nothing new on the pool's connections. */
    private static final int WARM_UP_ROUNDS = 20;

    private static Gateway textProtocolGateway;

    @BeforeAll
    static void startTextProtocolGateway()
    {
        textProtocolGateway = TestingGateway.shared().startGatewayWithDriverProperties("{useServerPrepStmts: \"false\"}");
    }

    @AfterAll
    static void stopTextProtocolGateway()
    {
        if (textProtocolGateway != null) {
            textProtocolGateway.close();
        }
    }

    @Test
    public void testPreparedPointLookupIsOneStatementAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = TestingGateway.connect(textProtocolGateway, "alice");
                PreparedStatement lookup = client.prepareStatement("select id, name, email from shop.customers where id = ?")) {
            // warm up: the pool's connections exist and pgjdbc switched to a named server-side statement
            lookups(lookup, 10);
            Map<String, Long> before = StatementCounters.read(probe);
            lookups(lookup, LOOKUPS);
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over %d lookups", LOOKUPS).isEqualTo(Map.of("Com_select", (long) LOOKUPS));
        }
    }

    @Test
    public void testLiteralPointLookupIsOneStatementAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = TestingGateway.connect(textProtocolGateway, "alice");
                Statement statement = client.createStatement()) {
            for (int i = 0; i < 10; i++) {
                literalLookup(statement, i);
            }
            long selectsBefore = StatementCounters.read(probe).get("Com_select");
            long setsBefore = StatementCounters.read(probe).get("Com_set_option");
            for (int i = 0; i < LOOKUPS; i++) {
                literalLookup(statement, i);
            }
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(after.get("Com_select") - selectsBefore).isEqualTo(LOOKUPS);
            assertThat(after.get("Com_set_option") - setsBefore).isZero();
        }
    }

    @Test
    public void testPreparedPointLookupIsOneServerPreparedExecutionAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                PreparedStatement lookup = client.prepareStatement("select id, name, email from shop.customers where id = ?")) {
            warmUp(probe, () -> lookups(lookup, LOOKUPS));
            Map<String, Long> before = StatementCounters.read(probe);
            lookups(lookup, LOOKUPS);
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over %d lookups", LOOKUPS).isEqualTo(directServerPreparedLookups(probe))
                    .isEqualTo(Map.of("Com_stmt_execute", (long) LOOKUPS, "Com_select", (long) LOOKUPS));
        }
    }

    @Test
    public void testRedashLiteralPointLookupIsOneServerPreparedExecutionAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                Statement statement = client.createStatement()) {
            warmUp(probe, () -> {
                for (int i = 0; i < LOOKUPS; i++) {
                    redashLookup(statement, i);
                }
            });
            Map<String, Long> before = StatementCounters.read(probe);
            for (int i = 0; i < LOOKUPS; i++) {
                redashLookup(statement, i);
            }
            Map<String, Long> after = StatementCounters.read(probe);
            // the literal is folded into a parameter: the source text repeats and stays prepared
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over %d lookups", LOOKUPS).isEqualTo(directServerPreparedLookups(probe))
                    .isEqualTo(Map.of("Com_stmt_execute", (long) LOOKUPS, "Com_select", (long) LOOKUPS));
        }
    }

    /**
     * A string parameter compared with a column is server-prepared too: the column's collation
     * decides the comparison, so the parameter's (the handshake's) cannot fail it or change it.
     */
    @Test
    public void testStringParameterComparedWithAColumnIsOneServerPreparedExecutionAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                PreparedStatement lookup = client.prepareStatement("select id from shop.customers where name = ?")) {
            Lookups round = () -> {
                for (int i = 0; i < 10; i++) {
                    lookup.setString(1, "nobody " + i);
                    try (ResultSet rows = lookup.executeQuery()) {
                        assertThat(rows.next()).isFalse();
                    }
                }
            };
            warmUp(probe, round);
            Map<String, Long> before = StatementCounters.read(probe);
            round.run();
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over 10 lookups by a string")
                    .isEqualTo(Map.of("Com_stmt_execute", 10L, "Com_select", 10L));
        }
    }

    /**
     * A string parameter that may meet another string whose collation counts (here the pattern of
     * LIKE, which the exact comparison gives a binary collation) is inlined by Connector/J: a
     * server-side one would take the handshake's collation and could fail with error 1267.
     */
    @Test
    public void testStringParameterThatMayMeetAnotherStringIsOneClientPreparedSelectAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                PreparedStatement lookup = client.prepareStatement("select id from shop.customers where name like ?")) {
            Lookups round = () -> {
                for (int i = 0; i < 10; i++) {
                    lookup.setString(1, "nobody " + i + "%");
                    try (ResultSet rows = lookup.executeQuery()) {
                        assertThat(rows.next()).isFalse();
                    }
                }
            };
            round.run();
            Map<String, Long> before = StatementCounters.read(probe);
            round.run();
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over 10 lookups by a pattern").isEqualTo(Map.of("Com_select", 10L));
        }
    }

    /**
     * The masked and row-filtered lookup: the policy's value ({@code region = :user.region}) is a
     * string compared with the column and cast to bytes, so the statement stays prepared on the
     * server like the plain lookup, one execution each.
     */
    @Test
    public void testMaskedRowFilteredLookupIsOneServerPreparedExecutionAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = TestingGateway.connect(gateway.policyGateway(), "alice");
                PreparedStatement lookup = client.prepareStatement("select id, name, email, region from shop.customers where id = ?")) {
            int[] found = new int[1];
            Lookups round = () -> {
                for (int i = 0; i < LOOKUPS; i++) {
                    lookup.setInt(1, 1 + i % 50);
                    try (ResultSet rows = lookup.executeQuery()) {
                        while (rows.next()) {
                            // alice (region JP) sees her region's rows only
                            assertThat(rows.getString("region")).isEqualTo("JP");
                            found[0]++;
                        }
                    }
                }
            };
            warmUp(probe, round);
            Map<String, Long> before = StatementCounters.read(probe);
            round.run();
            Map<String, Long> after = StatementCounters.read(probe);
            assertThat(found[0]).as("rows alice saw").isPositive();
            assertThat(StatementCounters.delta(before, after)).as("MariaDB's statement counters over %d masked lookups", LOOKUPS)
                    .isEqualTo(Map.of("Com_stmt_execute", (long) LOOKUPS, "Com_select", (long) LOOKUPS));
        }
    }

    private interface Lookups
    {
        void run()
                throws SQLException;
    }

    /**
     * Runs rounds of lookups until one prepares no statement: each pooled connection the lookups
     * reach prepares the text once, and which connections they reach depends on the pool.
     */
    private static void warmUp(Connection probe, Lookups round)
            throws SQLException
    {
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            long prepared = StatementCounters.read(probe).get("Com_stmt_prepare");
            round.run();
            if (StatementCounters.read(probe).get("Com_stmt_prepare") == prepared) {
                return;
            }
        }
        throw new AssertionError("the lookups still prepared statements after " + WARM_UP_ROUNDS + " rounds of " + LOOKUPS);
    }

    /**
     * What 100 lookups cost MariaDB over a direct Connector/J connection with a server-side
     * prepared statement, prepared before counting: the reference for one execution per lookup.
     */
    private static Map<String, Long> directServerPreparedLookups(Connection probe)
            throws SQLException
    {
        try (PreparedStatement lookup = probe.unwrap(JdbcConnection.class).serverPrepareStatement("select id, name, email from shop.customers where id = ?")) {
            Map<String, Long> before = StatementCounters.read(probe);
            for (int i = 0; i < LOOKUPS; i++) {
                lookup.setInt(1, 1 + i % 50);
                try (ResultSet rows = lookup.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                }
            }
            Map<String, Long> after = StatementCounters.read(probe);
            // the probe's own SHOW reads are Com_show_status, left out like the monitor's
            return StatementCounters.delta(before, after);
        }
    }

    private static void redashLookup(Statement statement, int i)
            throws SQLException
    {
        String annotation = "/* Username: alice@example.com, query_id: adhoc, Queue: queries, Job ID: " + UUID.nameUUIDFromBytes(new byte[] {(byte) i})
                + ", Query Hash: " + Integer.toHexString(i * 7919) + ", Scheduled: False */ ";
        try (ResultSet rows = statement.executeQuery(annotation + "select id, name from shop.customers where id = " + (1 + i % 50))) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1 + i % 50);
        }
    }

    private static void literalLookup(Statement statement, int i)
            throws SQLException
    {
        try (ResultSet rows = statement.executeQuery("/* lookup " + i + " */ select id, name from shop.customers where id = " + (1 + i % 50))) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1 + i % 50);
        }
    }

    private static void lookups(PreparedStatement lookup, int count)
            throws SQLException
    {
        for (int i = 0; i < count; i++) {
            lookup.setInt(1, 1 + i % 50);
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1 + i % 50);
            }
        }
    }
}
