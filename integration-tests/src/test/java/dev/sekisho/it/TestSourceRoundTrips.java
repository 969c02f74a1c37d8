package dev.sekisho.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A point lookup through the gateway costs MariaDB one statement: MariaDB's own {@code Com_*}
 * counters around 100 lookups rise by exactly 100 {@code SELECT}s and nothing else (Connector/J's
 * streaming mode used to wrap each in two {@code SET net_write_timeout} statements). The source's
 * health checks ({@code DO 1}, {@code SHOW ...}) run beside them and are not counted.
 */
public class TestSourceRoundTrips
{
    private static final int LOOKUPS = 100;

    @Test
    public void testPreparedPointLookupIsOneStatementAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                PreparedStatement lookup = client.prepareStatement("select id, name, email from shop.customers where id = ?")) {
            // warm up: the pool's connections exist and pgjdbc switched to a named server-side statement
            lookups(lookup, 10);
            Map<String, Long> before = counters(probe);
            lookups(lookup, LOOKUPS);
            Map<String, Long> after = counters(probe);
            Map<String, Long> delta = new HashMap<>();
            after.forEach((name, value) -> {
                long change = value - before.getOrDefault(name, 0L);
                // the replica monitor's checks (DO 1, SHOW ...) run beside the lookups
                if (change != 0 && !name.equals("Com_do") && !name.startsWith("Com_show_")) {
                    delta.put(name, change);
                }
            });
            assertThat(delta).as("MariaDB's statement counters over %d lookups", LOOKUPS).isEqualTo(Map.of("Com_select", (long) LOOKUPS));
        }
    }

    @Test
    public void testLiteralPointLookupIsOneStatementAtTheSource()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection probe = gateway.connectDirect("shop");
                Connection client = gateway.connect("alice");
                Statement statement = client.createStatement()) {
            for (int i = 0; i < 10; i++) {
                literalLookup(statement, i);
            }
            long selectsBefore = counters(probe).get("Com_select");
            long setsBefore = counters(probe).get("Com_set_option");
            for (int i = 0; i < LOOKUPS; i++) {
                literalLookup(statement, i);
            }
            Map<String, Long> after = counters(probe);
            assertThat(after.get("Com_select") - selectsBefore).isEqualTo(LOOKUPS);
            assertThat(after.get("Com_set_option") - setsBefore).isZero();
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

    /** MariaDB's global statement counters, read on one connection (SHOW is counted only as Com_show_status). */
    private static Map<String, Long> counters(Connection probe)
            throws SQLException
    {
        Map<String, Long> counters = new HashMap<>();
        try (Statement statement = probe.createStatement(); ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com\\_%'")) {
            while (rows.next()) {
                counters.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counters;
    }
}
