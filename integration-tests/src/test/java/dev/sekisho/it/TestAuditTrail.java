package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail of a gateway enforcing the example policy: one event per statement with who,
 * what was sent where, the rules that applied, rows, duration and outcome; refused and failed
 * statements and logins too; and never a raw masked value or a password, whatever the users ran.
 */
class TestAuditTrail
{
    private static final String WRONG_PASSWORD = "not-alices-password-7731";

    private static final TestingGateway testing = TestingGateway.shared();
    private static List<JsonNode> events;
    private static String auditText;
    private static String rawEmail;
    private static long fetchedInBatches;
    private static final List<Long> redashCounts = new ArrayList<>();
    private static final List<Long> directCounts = new ArrayList<>();

    @BeforeAll
    static void runStatementsAndReadTheTrail()
            throws Exception
    {
        Path dir = Files.createTempDirectory("sekisho-audit-it");
        Path policyDir = Files.createDirectories(dir.resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        Path auditFile = dir.resolve("audit").resolve("sekisho-audit.jsonl");
        try (Connection direct = testing.connectDirect("shop");
                ResultSet rs = direct.createStatement().executeQuery("SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1")) {
            rs.next();
            rawEmail = rs.getString(1);
        }
        Gateway gateway = testing.startGatewayWith("audit: {file: " + TestingGateway.yamlString(auditFile) + "}", policyDir);
        try {
            try (Connection alice = TestingGateway.connect(gateway, "alice");
                    Statement statement = alice.createStatement()) {
                drain(statement.executeQuery("SELECT id, name, email, phone FROM shop.customers"));
                try (PreparedStatement lookup = alice.prepareStatement("SELECT id, email FROM shop.customers WHERE email = ?")) {
                    lookup.setString(1, rawEmail);
                    drain(lookup.executeQuery());
                }
                // a fetch size makes pgjdbc run the portal in batches of 50 rows: one event with every row
                alice.setAutoCommit(false);
                try (Statement batched = alice.createStatement()) {
                    batched.setFetchSize(50);
                    try (ResultSet rs = batched.executeQuery("SELECT id FROM shop.customers WHERE id > 0")) {
                        while (rs.next()) {
                            fetchedInBatches++;
                        }
                    }
                }
                alice.commit();
                // the client stops reading early: pgjdbc closes the portal it left suspended after two batches of 10
                try (Statement early = alice.createStatement()) {
                    early.setFetchSize(10);
                    try (ResultSet rs = early.executeQuery("SELECT id FROM shop.customers WHERE id >= 0")) {
                        for (int i = 0; i < 15; i++) {
                            assertThat(rs.next()).isTrue();
                        }
                    }
                }
                alice.commit();
                alice.setAutoCommit(true);
                assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM shop.order_items")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM shop.customers")).isInstanceOf(SQLException.class);
            }
            // the session ends while a portal is suspended after its first batch
            try (Connection leaving = TestingGateway.connect(gateway, "alice")) {
                leaving.setAutoCommit(false);
                Statement open = leaving.createStatement();
                open.setFetchSize(10);
                ResultSet rs = open.executeQuery("SELECT id FROM shop.customers WHERE id >= 1");
                assertThat(rs.next()).isTrue();
            }
            try (Connection admin = TestingGateway.connect(gateway, "admin");
                    Statement statement = admin.createStatement()) {
                drain(statement.executeQuery("SELECT email, phone FROM shop.customers"));
                drain(statement.executeQuery("/* Username: kim@example.com, query_id: 42, Queue: queries, Job ID: j, Query Hash: h, Scheduled: False */"
                        + " SELECT count(*) FROM shop.orders"));
                // one shape, new literal and new annotation on each call: the session's shape memo answers the later ones, and
                // each call's own annotation still names its end user (and each its own count: compared with MariaDB below)
                for (int i = 1; i <= 3; i++) {
                    try (ResultSet rs = statement.executeQuery("/* Username: memo" + i + "@example.com, query_id: " + (100 + i)
                            + ", Queue: queries, Job ID: j" + i + ", Query Hash: h, Scheduled: False */ SELECT count(*) FROM shop.orders WHERE customer_id = " + i)) {
                        rs.next();
                        redashCounts.add(rs.getLong(1));
                    }
                }
            }
            try (Connection direct = testing.connectDirect("shop");
                    Statement counting = direct.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    try (ResultSet rs = counting.executeQuery("SELECT count(*) FROM orders WHERE customer_id = " + i)) {
                        rs.next();
                        directCounts.add(rs.getLong(1));
                    }
                }
            }
            Properties wrong = new Properties();
            wrong.setProperty("user", "alice");
            wrong.setProperty("password", WRONG_PASSWORD);
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.pgPort() + "/sekisho", wrong))
                    .isInstanceOf(SQLException.class);
            // the Avatica door: the same events, with its name
            try (Connection alice = TestingGateway.connectAvatica(gateway, "alice");
                    Statement statement = alice.createStatement()) {
                drain(statement.executeQuery("SELECT id, name FROM shop.customers WHERE id < 50"));
                assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM shop.order_items")).isInstanceOf(SQLException.class);
            }
            Properties wrongBasic = new Properties();
            wrongBasic.setProperty("avatica_user", "bob");
            wrongBasic.setProperty("avatica_password", WRONG_PASSWORD);
            assertThatThrownBy(() -> DriverManager.getConnection(TestingGateway.avaticaUrl(gateway), wrongBasic))
                    .hasMessageContaining("password authentication failed for user \"bob\"");
        }
        finally {
            gateway.close();
        }
        auditText = Files.readString(auditFile, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        events = new ArrayList<>();
        for (String line : auditText.split("\n")) {
            events.add(json.readTree(line));
        }
    }

    @AfterAll
    static void forget()
    {
        events = null;
        auditText = null;
    }

    private static void drain(ResultSet rs)
            throws SQLException
    {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    private static JsonNode statement(Predicate<JsonNode> matching)
    {
        return events.stream().filter(event -> event.get("type").asText().equals("statement")).filter(matching).findFirst().orElseThrow(
                () -> new AssertionError("no such statement event in " + events));
    }

    private static Predicate<JsonNode> sql(String prefix)
    {
        return event -> event.get("sql").asText().startsWith(prefix);
    }

    @Test
    void aQueryRecordsWhoWhatWhereRulesRowsAndOutcome()
    {
        JsonNode event = statement(sql("SELECT id, name, email, phone FROM shop.customers").and(e -> e.get("user").asText().equals("alice")));
        assertThat(event.get("groups").toString()).isEqualTo("[\"analysts\"]");
        assertThat(event.get("team").asText()).isEqualTo("analysts");
        assertThat(event.get("front_door").asText()).isEqualTo("postgres");
        assertThat(event.get("client_address").asText()).startsWith("127.0.0.1:");
        assertThat(event.get("application").asText()).isEqualTo("PostgreSQL JDBC Driver");
        assertThat(event.get("session_id").asInt()).isPositive();
        assertThat(event.get("kind").asText()).isEqualTo("query");
        assertThat(event.get("digest").asText()).hasSize(16);
        assertThat(event.get("normalized_sql").asText()).isEqualTo("select id , name , email , phone from shop . customers");
        JsonNode source = event.get("sources").get(0);
        assertThat(source.get("source").asText()).isEqualTo("shop");
        assertThat(source.get("server").asText()).isEqualTo("embedded");
        // the role the source's configuration gives the server (the primary keeps its default name 'primary' here)
        assertThat(source.get("role").asText()).isEqualTo("replica");
        // the rewritten SQL carries the row filter's value, not the masked columns' raw reads alone
        assertThat(source.get("sql").asText()).containsIgnoringCase("region");
        assertThat(event.get("tables").toString()).isEqualTo("[\"shop.shop.customers\"]");
        assertThat(event.get("rules").toString()).contains("shop.yaml:", "mask email", "own_region");
        assertThat(event.get("policy_version").asText()).startsWith("sha256:");
        assertThat(event.get("rows").asLong()).isPositive().isLessThan(1000);
        assertThat(event.get("duration_millis").asLong()).isNotNegative();
        assertThat(event.get("outcome").asText()).isEqualTo("ok");
        assertThat(event.get("sql_state").isNull()).isTrue();
        // the demo policy's resource groups admitted it
        assertThat(event.get("resource_group").asText()).isEqualTo("adhoc");
        assertThat(event.get("queue_wait_millis").isIntegralNumber()).isTrue();
        assertThat(event.get("queue_wait_millis").asLong()).isNotNegative();
        // MySQL bills no bytes, no budget asked for an estimate, and this gateway has no result cache: present, and null
        for (String field : List.of("estimated_bytes", "actual_bytes", "cache_hit")) {
            assertThat(event.has(field)).as(field).isTrue();
            assertThat(event.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void aStatementReadInBatchesIsOneEventWithAllItsRows()
    {
        assertThat(fetchedInBatches).isGreaterThan(50);
        List<JsonNode> batched = events.stream().filter(event -> event.get("type").asText().equals("statement"))
                .filter(sql("SELECT id FROM shop.customers WHERE id > 0")).toList();
        assertThat(batched).singleElement().satisfies(event -> assertThat(event.get("rows").asLong()).isEqualTo(fetchedInBatches));
    }

    @Test
    void aPortalClosedBeforeItsRowsRanOutIsOneEventWithTheRowsSent()
    {
        List<JsonNode> closedEarly = statements(sql("SELECT id FROM shop.customers WHERE id >= 0"));
        assertThat(closedEarly).singleElement().satisfies(event -> {
            assertThat(event.get("rows").asLong()).isEqualTo(20);
            assertThat(event.get("outcome").asText()).isEqualTo("ok");
            assertThat(event.get("user").asText()).isEqualTo("alice");
        });
        List<JsonNode> sessionEnded = statements(sql("SELECT id FROM shop.customers WHERE id >= 1"));
        assertThat(sessionEnded).singleElement().satisfies(event -> assertThat(event.get("rows").asLong()).isEqualTo(10));
    }

    private static List<JsonNode> statements(Predicate<JsonNode> matching)
    {
        return events.stream().filter(event -> event.get("type").asText().equals("statement")).filter(matching).toList();
    }

    @Test
    void refusedAndFailedStatementsAreRecorded()
    {
        JsonNode write = statement(sql("DELETE FROM shop.customers"));
        assertThat(write.get("outcome").asText()).isEqualTo("refused");
        assertThat(write.get("sql_state").asText()).isEqualTo("25006");
        assertThat(write.get("user").asText()).isEqualTo("alice");

        JsonNode hidden = statement(sql("SELECT * FROM shop.order_items"));
        assertThat(hidden.get("outcome").asText()).isEqualTo("failed");
        assertThat(hidden.get("sql_state").asText()).isEqualTo("42P01");
    }

    @Test
    void redashAnnotationNamesTheEndUser()
    {
        JsonNode event = statement(sql("/* Username: kim@example.com"));
        assertThat(event.get("user").asText()).isEqualTo("admin");
        assertThat(event.get("end_user").asText()).isEqualTo("kim@example.com");
        assertThat(event.get("redash_query_id").asText()).isEqualTo("42");
        assertThat(event.get("team").asText()).isEqualTo("admins");
    }

    @Test
    void eachRedashCallOfOneShapeRecordsItsOwnAnnotation()
    {
        for (int i = 1; i <= 3; i++) {
            JsonNode event = statement(sql("/* Username: memo" + i + "@example.com"));
            assertThat(event.get("end_user").asText()).isEqualTo("memo" + i + "@example.com");
            assertThat(event.get("redash_query_id").asText()).isEqualTo(String.valueOf(100 + i));
            assertThat(event.get("sql").asText()).endsWith("WHERE customer_id = " + i);
        }
        assertThat(redashCounts).isEqualTo(directCounts).hasSize(3);
    }

    @Test
    void loginsAreRecordedSuccessfulOrNot()
    {
        List<JsonNode> logins = events.stream().filter(event -> event.get("type").asText().equals("login")).toList();
        assertThat(logins).anySatisfy(login -> {
            assertThat(login.get("user").asText()).isEqualTo("alice");
            assertThat(login.get("success").asBoolean()).isTrue();
            assertThat(login.get("session_id").asInt()).isPositive();
        });
        assertThat(logins).anySatisfy(login -> {
            assertThat(login.get("user").asText()).isEqualTo("alice");
            assertThat(login.get("success").asBoolean()).isFalse();
            assertThat(login.get("sql_state").asText()).isEqualTo("28P01");
            assertThat(login.get("reason").asText()).isEqualTo("wrong_password");
            assertThat(login.get("client_address").asText()).startsWith("127.0.0.1:");
        });
    }

    @Test
    void theAvaticaDoorRecordsLoginsAndStatementsAlike()
    {
        JsonNode query = statement(sql("SELECT id, name FROM shop.customers WHERE id < 50"));
        assertThat(query.get("user").asText()).isEqualTo("alice");
        assertThat(query.get("front_door").asText()).isEqualTo("avatica");
        assertThat(query.get("client_address").asText()).startsWith("127.0.0.1:");
        assertThat(query.get("session_id").asInt()).isPositive();
        assertThat(query.get("rules").toString()).contains("own_region");
        assertThat(query.get("rows").asLong()).isPositive();
        assertThat(query.get("outcome").asText()).isEqualTo("ok");
        JsonNode hidden = events.stream().filter(event -> event.get("type").asText().equals("statement"))
                .filter(event -> event.get("front_door").asText().equals("avatica")).filter(sql("SELECT * FROM shop.order_items")).findFirst().orElseThrow();
        assertThat(hidden.get("outcome").asText()).isEqualTo("failed");
        assertThat(hidden.get("sql_state").asText()).isEqualTo("42P01");

        List<JsonNode> logins = events.stream().filter(event -> event.get("type").asText().equals("login"))
                .filter(event -> event.get("front_door").asText().equals("avatica")).toList();
        assertThat(logins).anySatisfy(login -> {
            assertThat(login.get("user").asText()).isEqualTo("alice");
            assertThat(login.get("success").asBoolean()).isTrue();
            assertThat(login.get("session_id").asInt()).isEqualTo(query.get("session_id").asInt());
            assertThat(login.get("client_address").asText()).startsWith("127.0.0.1:");
        });
        assertThat(logins).anySatisfy(login -> {
            assertThat(login.get("user").asText()).isEqualTo("bob");
            assertThat(login.get("success").asBoolean()).isFalse();
            assertThat(login.get("sql_state").asText()).isEqualTo("28P01");
            assertThat(login.get("client_address").asText()).startsWith("127.0.0.1:");
        });
    }

    @Test
    void noRawMaskedValueOrPasswordIsEverWritten()
            throws SQLException, IOException
    {
        List<String> secrets = new ArrayList<>();
        try (Connection direct = testing.connectDirect("shop");
                ResultSet rs = direct.createStatement().executeQuery("SELECT email, phone FROM customers")) {
            while (rs.next()) {
                for (int column = 1; column <= 2; column++) {
                    String value = rs.getString(column);
                    if (value != null && !value.isEmpty()) {
                        secrets.add(value);
                    }
                }
            }
        }
        assertThat(secrets).hasSizeGreaterThan(1000).contains(rawEmail);
        secrets.add(WRONG_PASSWORD);
        for (String user : List.of("alice", "admin")) {
            secrets.add(user + TestingGateway.PASSWORD_SUFFIX);
        }
        assertThat(auditText).isNotEmpty();
        List<String> found = secrets.stream().filter(auditText::contains).toList();
        assertThat(found).as("raw values or passwords in the audit file").isEmpty();
    }
}
