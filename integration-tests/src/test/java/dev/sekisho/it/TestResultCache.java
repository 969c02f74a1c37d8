package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.policies.ReloadResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The result cache behind policies, against MariaDB: users whose masks or row filters differ never
 * share an entry (every ordered pair of the test users), a user's repeated statement does, a
 * session can turn the cache off, {@code SHOW sekisho.cache} counts, and a policy edit drops
 * every entry.
 */
public class TestResultCache
{
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "admin", "mallory");
    private static final List<String> QUERIES = List.of(
            "select id, name, email, phone, region from customers where id <= 30 order by id",
            "select id, amount, note, status from orders where id <= 60 order by id");

    private static TestingGateway testing;
    private static Path policyDir;
    private static Gateway gateway;
    private static ResultCache cache;

    @BeforeAll
    public static void setUp()
            throws IOException
    {
        testing = TestingGateway.shared();
        policyDir = Files.createTempDirectory("sekisho-cache-policies-");
        for (String file : TestingGateway.BYPASS_POLICY_FILES) {
            TestingGateway.copyResource("policies/bypass/" + file, policyDir.resolve(file));
        }
        gateway = testing.startGatewayWith("result_cache: {max_bytes: 16777216, tables: {shop: 5m}}", policyDir);
        cache = gateway.resultCache().orElseThrow();
    }

    @AfterAll
    public static void tearDown()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void usersWithDifferentPoliciesNeverShareAnEntry()
            throws SQLException
    {
        cache.invalidateAll();
        // what each user sees with the cache off: the truth to compare with
        Map<String, Map<String, List<String>>> uncached = new HashMap<>();
        for (String user : USERS) {
            try (Connection connection = TestingGateway.connect(gateway, user); Statement statement = connection.createStatement()) {
                statement.execute("SET sekisho.cache = off");
                Map<String, List<String>> results = new LinkedHashMap<>();
                for (String query : QUERIES) {
                    results.put(query, rows(statement, query));
                }
                uncached.put(user, results);
            }
        }
        assertThat(cache.stats().entries()).isZero();
        int differingPairs = 0;
        for (String first : USERS) {
            for (String second : USERS) {
                if (first.equals(second)) {
                    continue;
                }
                for (String query : QUERIES) {
                    cache.invalidateAll();
                    try (Connection a = TestingGateway.connect(gateway, first); Statement statementA = a.createStatement();
                            Connection b = TestingGateway.connect(gateway, second); Statement statementB = b.createStatement()) {
                        assertThat(rows(statementA, query)).as("%s: %s", first, query).isEqualTo(uncached.get(first).get(query));
                        long hits = cache.stats().hits();
                        List<String> seen = rows(statementB, query);
                        assertThat(seen).as("%s after %s: %s", second, first, query).isEqualTo(uncached.get(second).get(query));
                        if (!uncached.get(first).get(query).equals(uncached.get(second).get(query))) {
                            differingPairs++;
                            assertThat(cache.stats().hits()).as("%s must not read %s's entry: %s", second, first, query).isEqualTo(hits);
                        }
                    }
                }
            }
        }
        assertThat(differingPairs).isPositive();
    }

    @Test
    public void aUsersRepeatedStatementIsAHitUntilTheSessionTurnsTheCacheOff()
            throws SQLException
    {
        try (Connection connection = TestingGateway.connect(gateway, "alice"); Statement statement = connection.createStatement()) {
            String query = "select id, name from customers where region = 'JP' order by id";
            List<String> first = rows(statement, query);
            long hits = cache.stats().hits();
            assertThat(rows(statement, query)).isEqualTo(first);
            assertThat(cache.stats().hits()).isEqualTo(hits + 1);

            assertThat(show(statement)).containsEntry("configured", "yes").containsEntry("session", "on").containsKey("hits");
            statement.execute("SET sekisho.cache = off");
            assertThat(show(statement)).containsEntry("session", "off");
            assertThat(rows(statement, query)).isEqualTo(first);
            assertThat(cache.stats().hits()).isEqualTo(hits + 1);
            statement.execute("RESET sekisho.cache");
            assertThat(rows(statement, query)).isEqualTo(first);
            assertThat(cache.stats().hits()).isEqualTo(hits + 2);
            assertThatThrownBy(() -> statement.execute("SET sekisho.cache = maybe"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
        }
    }

    @Test
    public void aPolicyEditDropsEveryEntry()
            throws Exception
    {
        String query = "select id, phone from customers where id <= 5 order by id";
        try (Connection connection = TestingGateway.connect(gateway, "bob"); Statement statement = connection.createStatement()) {
            List<String> before = rows(statement, query);
            rows(statement, query);
            assertThat(cache.stats().entries()).isPositive();
            Path shop = policyDir.resolve("shop.yaml");
            String original = Files.readString(shop);
            try {
                Files.writeString(shop, original.replace("phone:      {mask: phone}", "phone:      {mask: redact}"));
                assertThat(gateway.policies().orElseThrow().reload().outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
                assertThat(cache.stats().entries()).isZero();
                List<String> after = rows(statement, query);
                assertThat(after).isNotEqualTo(before).allSatisfy(row -> assertThat(row).contains("****"));
            }
            finally {
                Files.writeString(shop, original);
                gateway.policies().orElseThrow().reload();
            }
        }
    }

    private static Map<String, String> show(Statement statement)
            throws SQLException
    {
        Map<String, String> values = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("SHOW sekisho.cache")) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        return values;
    }

    /** Every row as text; a failure as its SQLSTATE. */
    private static List<String> rows(Statement statement, String query)
    {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        catch (SQLException e) {
            rows.add("ERROR " + e.getSQLState());
        }
        return rows;
    }
}
