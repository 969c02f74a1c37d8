package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example data dictionary ({@code examples/policies/dictionary/shop.yaml}) as clients see it:
 * pgjdbc's getTables and getColumns REMARKS and psql's {@code \d+}, with the dictionary winning
 * over MySQL's comments, MySQL's comments where it says nothing, and the masked marker for a
 * reader whose column is masked (alice) but not for one who sees it raw (admin).
 */
class TestDataDictionary
{
    private static final Path PSQL = Path.of("/usr/bin/psql");
    private static Gateway gateway;

    @BeforeAll
    static void start()
            throws Exception
    {
        Path policyDir = Files.createDirectories(Files.createTempDirectory("sekisho-dictionary-it").resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        Files.createDirectories(policyDir.resolve("dictionary"));
        TestingGateway.copyResource("demo/policies/dictionary/shop.yaml", policyDir.resolve("dictionary/shop.yaml"));
        gateway = TestingGateway.shared().startGatewayWith("", policyDir);
    }

    @AfterAll
    static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Map<String, String> columnRemarks(String user)
            throws SQLException
    {
        Map<String, String> remarks = new HashMap<>();
        try (Connection connection = TestingGateway.connect(gateway, user);
                ResultSet rs = connection.getMetaData().getColumns(null, "shop", "customers", null)) {
            while (rs.next()) {
                remarks.put(rs.getString("COLUMN_NAME"), rs.getString("REMARKS"));
            }
        }
        return remarks;
    }

    @Test
    void pgJdbcRemarksShowTheDictionaryAndTheMaskedMarkerForAliceOnly()
            throws SQLException
    {
        Map<String, String> alice = columnRemarks("alice");
        assertThat(alice.get("email")).isEqualTo("The address the customer signed up with. [masked for you: email]");
        assertThat(alice.get("phone")).startsWith("Contact number as the customer typed it").endsWith("[masked for you: phone]");
        assertThat(alice.get("region")).isEqualTo("JP, US or EU");          // MySQL's comment, the dictionary says nothing
        assertThat(alice.get("id")).isNull();

        Map<String, String> admin = columnRemarks("admin");
        assertThat(admin.get("email")).isEqualTo("The address the customer signed up with.");
        assertThat(admin.get("phone")).doesNotContain("masked");
        assertThat(admin.get("segment")).isEqualTo("consumer, business or enterprise");

        try (Connection connection = TestingGateway.connect(gateway, "alice")) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet rs = metaData.getTables(null, "shop", "customers", null)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("REMARKS")).isEqualTo(
                        "Customer accounts, one row each, as the shop's CRM keeps them. (owner: crm-team@example.com; tier: mart; freshness: 1h)");
            }
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT obj_description('shop.orders'::regclass, 'pg_class'), col_description('shop.orders'::regclass, 3)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("Orders as placed").contains("owner: sales-ops@example.com");
                assertThat(rs.getString(2)).isEqualTo("Order total before tax. [masked for you: round(step=1000)]");
            }
        }
    }

    @Test
    void psqlDescribeShowsTheDescriptions()
            throws Exception
    {
        if (!Files.isExecutable(PSQL)) {
            System.out.println("TestDataDictionary psql skipped: " + PSQL + " is not installed (Debian/Ubuntu: apt-get install postgresql-client)");
        }
        assumeTrue(Files.isExecutable(PSQL), PSQL + " is not installed");
        for (String user : List.of("alice", "admin")) {
            ClientProcess.Result result = ClientProcess.run(
                    List.of(PSQL.toString(), "-X", "-h", "127.0.0.1", "-p", Integer.toString(gateway.pgPort()), "-U", user, "-d", "sekisho",
                            "-c", "\\d+ shop.customers"),
                    Map.of("PGPASSWORD", user + TestingGateway.PASSWORD_SUFFIX, "PGSSLMODE", "disable"), Duration.ofSeconds(60));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).contains("The address the customer signed up with.", "JP, US or EU");
            if (user.equals("alice")) {
                assertThat(result.stdout()).contains("[masked for you: email]");
            }
            else {
                assertThat(result.stdout()).doesNotContain("masked for you");
            }
        }
    }
}
