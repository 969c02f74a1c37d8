package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.resultcache.ResultCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cost guard and the result cache against the real MariaDB: a full scan over alice's row limit
 * is refused by its {@code EXPLAIN} on a miss, but once bob (no limit, the same policy-applied
 * statement) cached its rows, alice's same statement is answered from the cache without any
 * statement at MariaDB (its counters do not move: no EXPLAIN, no SELECT); with her session's cache
 * off it is estimated and refused again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestCostGuardCacheHits
{
    private static final String FULL_SCAN = "SELECT * FROM orders";

    private Gateway gateway;
    private ResultCache cache;

    @BeforeAll
    void start()
            throws IOException
    {
        Path policies = Files.createTempDirectory("sekisho-guard-cache-policies-");
        TestingGateway.copyResource("policies/guard/guard.yaml", policies.resolve("guard.yaml"));
        gateway = TestingGateway.shared().startGatewayWith("result_cache: {max_bytes: 67108864, max_entry_bytes: 33554432, tables: {shop.orders: 10m}}",
                policies);
        cache = gateway.resultCache().orElseThrow();
    }

    @AfterAll
    void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aHitRunsNoExplainAndIsNotRefusedWhileAMissIsEstimatedAndRefused()
            throws SQLException
    {
        try (Connection probe = TestingGateway.shared().connectDirect("shop");
                Connection alice = TestingGateway.connect(gateway, "alice"); Statement aliceStatement = alice.createStatement();
                Connection bob = TestingGateway.connect(gateway, "bob"); Statement bobStatement = bob.createStatement()) {
            // a miss: EXPLAIN runs at MariaDB and refuses it
            Map<String, Long> before = counters(probe);
            assertThatThrownBy(() -> aliceStatement.executeQuery(FULL_SCAN)).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("53400"));
            assertThat(delta(before, counters(probe))).as("what the refused miss ran at MariaDB (its EXPLAIN)").isNotEmpty();
            assertThat(cache.stats().entries()).isZero();

            // bob has no limit: his run reads and caches the rows
            assertThat(rows(bobStatement.executeQuery(FULL_SCAN))).isEqualTo(10_000);
            assertThat(cache.stats().entries()).isEqualTo(1);

            // a hit: answered whole, and MariaDB's statement counters do not move (no EXPLAIN, no SELECT)
            long hits = cache.stats().hits();
            before = counters(probe);
            assertThat(rows(aliceStatement.executeQuery(FULL_SCAN))).isEqualTo(10_000);
            assertThat(delta(before, counters(probe))).as("statements MariaDB ran for alice's cache hit").isEmpty();
            assertThat(cache.stats().hits()).isEqualTo(hits + 1);

            // her session without the cache: a miss again, estimated and refused as before
            aliceStatement.execute("SET sekisho.cache = off");
            assertThatThrownBy(() -> aliceStatement.executeQuery(FULL_SCAN)).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("53400"));
        }
    }

    private static int rows(ResultSet rows)
            throws SQLException
    {
        int count = 0;
        try (rows) {
            while (rows.next()) {
                count++;
            }
        }
        return count;
    }

    /** MariaDB's global statement counters (SHOW is counted only as Com_show_status). */
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

    /** The counters that moved, without the replica monitor's checks (DO 1, SHOW ...) that run beside the statements. */
    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after)
    {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, value) -> {
            long change = value - before.getOrDefault(name, 0L);
            if (change != 0 && !name.equals("Com_do") && !name.startsWith("Com_show_")) {
                delta.put(name, change);
            }
        });
        return delta;
    }
}
