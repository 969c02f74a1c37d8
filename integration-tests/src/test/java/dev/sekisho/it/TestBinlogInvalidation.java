package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.resultcache.ResultCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The result cache follows the primary's binary log (real MariaDB replication: a primary and a
 * replica, the gateway reading from the replica): a cached result stays cached while nothing
 * changes (its TTL is ten minutes), and a row written on the primary is visible through the
 * cache within the replica's lag plus a second, and never missing again once seen; an ALTER TABLE
 * on the primary drops the table's entries and its plans (the catalog is read again).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public class TestBinlogInvalidation
{
    private static final String USER = "admin";
    private static final String PASSWORD = "admin-secret";
    private static final String COUNT = "select count(*), max(id) from items";

    private static TestingReplication replication;
    private static Path workDir;
    private static Gateway gateway;

    @BeforeAll
    public static void start()
            throws Exception
    {
        replication = TestingReplication.start(1);
        replication.primary().execute(
                "CREATE DATABASE bl",
                "CREATE TABLE bl.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "INSERT INTO bl.items SELECT seq, CONCAT('item-', seq) FROM bl.seq_1_to_100");
        replication.awaitReplicasCaughtUp(30_000);
        workDir = Files.createTempDirectory("sekisho-binlog-it");
        Files.writeString(workDir.resolve("users.yaml"), """
                users:
                  %s:
                    password: "%s"
                    groups: [admins]
                """.formatted(USER, ScramVerifier.create(PASSWORD.toCharArray()).encoded()), StandardCharsets.UTF_8);
        Path config = workDir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [bl]
                result_cache: {tables: {bl.items: 10m}}
                sources:
                  bl:
                    type: mysql
                    primary: {name: primary, host: 127.0.0.1, port: %d, user: root, password: ""}
                    replicas:
                      - {name: replica-a, host: 127.0.0.1, port: %d, user: root, password: ""}
                    databases: [bl]
                    change_feed: {server: primary, server_id: 4242}
                """.formatted(replication.primary().port(), replication.replica("replica-a").port()), StandardCharsets.UTF_8);
        gateway = Gateway.start(SekishoConfigLoader.load(config));
    }

    @AfterAll
    public static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
        if (replication != null) {
            replication.close();
        }
    }

    @Test
    public void aRowWrittenOnThePrimaryIsVisibleThroughTheCacheWithinLagPlusOneSecond()
            throws Exception
    {
        ResultCache cache = gateway.resultCache().orElseThrow();
        try (Connection client = connect(); Statement statement = client.createStatement();
                Connection replica = replication.replica("replica-a").connect(); Statement direct = replica.createStatement()) {
            // cached, and answered from the cache while nothing changes (past the settle time of the feed's connection)
            awaitCached(statement, cache);
            long hits = cache.stats().hits();
            assertThat(maxId(statement)).isEqualTo(100);
            assertThat(cache.stats().hits()).isEqualTo(hits + 1);

            replication.primary().execute("INSERT INTO bl.items (id, name) VALUES (101, 'item-101')");
            long written = System.nanoTime();
            long onReplica = 0;
            long throughGateway = 0;
            while (onReplica == 0 || throughGateway == 0) {
                assertThat(System.nanoTime() - written).as("the row shows on the replica and through the gateway within 30 s").isLessThan(TimeUnit.SECONDS.toNanos(30));
                if (onReplica == 0 && maxId(direct) == 101) {
                    onReplica = System.nanoTime();
                }
                if (throughGateway == 0 && maxId(statement) == 101) {
                    throughGateway = System.nanoTime();
                }
                Thread.sleep(20);
            }
            long afterReplicaMillis = TimeUnit.NANOSECONDS.toMillis(throughGateway - onReplica);
            assertThat(afterReplicaMillis).as("ms between the replica applying the row and the gateway showing it").isLessThanOrEqualTo(1_000);
            // never stale again once seen, cached or not
            for (int i = 0; i < 30; i++) {
                assertThat(maxId(statement)).isEqualTo(101);
                Thread.sleep(50);
            }
            assertThat(cache.stats().invalidations()).isPositive();
        }
    }

    @Test
    public void anAlterTableDropsTheTablesEntriesAndPlans()
            throws Exception
    {
        ResultCache cache = gateway.resultCache().orElseThrow();
        try (Connection client = connect(); Statement statement = client.createStatement()) {
            awaitCached(statement, cache);
            long entries = cache.stats().entries();
            assertThat(entries).isPositive();
            long invalidations = cache.stats().invalidations();
            replication.primary().execute("ALTER TABLE bl.items ADD COLUMN price INT NOT NULL DEFAULT 7");
            // the entry goes with the DDL event, and the catalog is read again: the new column plans, with no restart or refresh by hand
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (ResultSet rows = statement.executeQuery("select price from items where id = 1")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(7);
                    break;
                }
                catch (SQLException e) {
                    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42703");
                    assertThat(System.nanoTime()).as("the new column is seen within 30 s").isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
            assertThat(cache.stats().invalidations()).isGreaterThan(invalidations);
        }
    }

    /** Reads until a read is a cache hit (the feed's connection holds caching off for a second). */
    private static void awaitCached(Statement statement, ResultCache cache)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long hits = cache.stats().hits();
            maxId(statement);
            if (cache.stats().hits() > hits) {
                return;
            }
            assertThat(System.nanoTime()).as("a repeated statement becomes a cache hit").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long maxId(Statement statement)
            throws SQLException
    {
        String sql = statement.getConnection().getMetaData().getURL().startsWith("jdbc:postgresql") ? COUNT : "select count(*), max(id) from bl.items";
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(2);
        }
    }

    private static Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.pgPort() + "/sekisho", properties);
    }
}
