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
            Map<String, Long> before = StatementCounters.read(probe);
            assertThatThrownBy(() -> aliceStatement.executeQuery(FULL_SCAN)).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("53400"));
            assertThat(StatementCounters.delta(before, StatementCounters.read(probe))).as("what the refused miss ran at MariaDB (its EXPLAIN)").isNotEmpty();
            assertThat(cache.stats().entries()).isZero();

            // bob has no limit: his run reads and caches the rows
            assertThat(rows(bobStatement.executeQuery(FULL_SCAN))).isEqualTo(10_000);
            assertThat(cache.stats().entries()).isEqualTo(1);

            // a hit: answered whole, and MariaDB's statement counters do not move (no EXPLAIN, no SELECT)
            long hits = cache.stats().hits();
            before = StatementCounters.read(probe);
            assertThat(rows(aliceStatement.executeQuery(FULL_SCAN))).isEqualTo(10_000);
            assertThat(StatementCounters.delta(before, StatementCounters.read(probe))).as("statements MariaDB ran for alice's cache hit").isEmpty();
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
}
