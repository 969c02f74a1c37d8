package dev.sekisho.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * psql's describe meta-commands ({@code \l}, {@code \dn}, {@code \dt}, {@code \d}, {@code \du})
 * through the real psql binary: each sends psql's own catalog SQL (chosen by the server version the
 * gateway reports) and must print the shop's schemas, tables, columns with PostgreSQL type names,
 * and indexes. Output is unaligned with {@code |} between fields. Skipped when psql is not installed.
 */
class TestPsqlMetaCommands
{
    private static final Path PSQL = Path.of("/usr/bin/psql");

    private static TestingGateway gateway;

    @BeforeAll
    static void setUp()
    {
        boolean installed = Files.isExecutable(PSQL);
        if (!installed) {
            System.out.println("TestPsqlMetaCommands skipped: " + PSQL + " is not installed (Debian: apt-get install postgresql-client)");
        }
        assumeTrue(installed, PSQL + " is not installed (Debian: apt-get install postgresql-client)");
        gateway = TestingGateway.shared();
    }

    @Test
    void listDatabases()
            throws Exception
    {
        List<String> lines = describe("\\l");
        assertThat(lines).contains("List of databases");
        // the database a client connects to (any name works) is the one listed
        assertThat(lines).anyMatch(line -> line.startsWith("sekisho|"));
    }

    @Test
    void listSchemas()
            throws Exception
    {
        List<String> lines = describe("\\dn");
        assertThat(lines).contains("List of schemas");
        assertThat(lines).anyMatch(line -> line.startsWith("shop|"));
        assertThat(lines).anyMatch(line -> line.startsWith("it|"));
        // \dn hides the system schemas
        assertThat(lines).noneMatch(line -> line.startsWith("pg_catalog|") || line.startsWith("information_schema|"));
    }

    @Test
    void listTablesOnSearchPath()
            throws Exception
    {
        // search_path is [shop]: unqualified \dt shows the shop's tables
        assertThat(tableRows(describe("\\dt")))
                .containsExactly("shop|customers|table", "shop|order_items|table", "shop|orders|table", "shop|products|table");
    }

    @Test
    void listTablesOfSchema()
            throws Exception
    {
        assertThat(tableRows(describe("\\dt shop.*")))
                .containsExactly("shop|customers|table", "shop|order_items|table", "shop|orders|table", "shop|products|table");
        assertThat(tableRows(describe("\\dt it.*"))).containsExactly("it|all_types|table");
        assertThat(tableRows(describe("\\dt shop.order*"))).containsExactly("shop|order_items|table", "shop|orders|table");
    }

    @Test
    void describeTable()
            throws Exception
    {
        List<String> lines = describe("\\d shop.customers");
        assertThat(lines).first().isEqualTo("Table \"shop.customers\"");
        assertThat(lines).contains("Column|Type|Collation|Nullable|Default");
        // Column|Type|Collation|Nullable|Default, in the table's column order
        assertThat(lines.subList(2, 11)).satisfiesExactly(
                line -> assertThat(line).matches("id\\|integer\\|[^|]*\\|not null\\|"),
                line -> assertThat(line).matches("name\\|character varying\\(100\\)\\|[^|]*\\|not null\\|"),
                line -> assertThat(line).matches("email\\|character varying\\(200\\)\\|[^|]*\\|\\|"),
                line -> assertThat(line).matches("phone\\|character varying\\(20\\)\\|[^|]*\\|\\|"),
                line -> assertThat(line).matches("region\\|character\\(2\\)\\|[^|]*\\|not null\\|"),
                line -> assertThat(line).matches("segment\\|character varying\\(20\\)\\|[^|]*\\|not null\\|"),
                line -> assertThat(line).matches("birth_date\\|date\\|[^|]*\\|\\|"),
                // MySQL DATETIME has no fractional seconds: timestamp(0), as RowDescription's typmod says
                line -> assertThat(line).matches("created_at\\|timestamp\\(0\\) without time zone\\|[^|]*\\|not null\\|"),
                line -> assertThat(line).matches("is_active\\|boolean\\|[^|]*\\|not null\\|"));
        assertThat(lines).contains("Indexes:");
        assertThat(lines).anyMatch(line -> line.matches(" {4}\"[^\"]+\" PRIMARY KEY, btree \\(id\\)"));
    }

    @Test
    void describeTableWithSecondaryIndex()
            throws Exception
    {
        List<String> lines = describe("\\d shop.orders");
        assertThat(lines).first().isEqualTo("Table \"shop.orders\"");
        assertThat(lines).anyMatch(line -> line.matches("amount\\|numeric\\(12,2\\)\\|[^|]*\\|not null\\|"));
        assertThat(lines).anyMatch(line -> line.matches("note\\|text\\|[^|]*\\|\\|"));
        assertThat(lines).anyMatch(line -> line.matches(" {4}\"[^\"]+\" PRIMARY KEY, btree \\(id\\)"));
        assertThat(lines).contains("    \"orders_customer\" btree (customer_id)");
    }

    @Test
    void describeTableVerboseShowsComments()
            throws Exception
    {
        // \d+ adds Storage, Compression, Stats target and Description, and reads reloptions || TOAST options
        List<String> lines = describe("\\d+ shop.customers");
        assertThat(lines).first().isEqualTo("Table \"shop.customers\"");
        assertThat(lines).anyMatch(line -> line.startsWith("Column|Type|Collation|Nullable|Default|Storage|") && line.endsWith("|Description"));
        assertThat(lines).anyMatch(line -> line.startsWith("region|character(2)|") && line.endsWith("|JP, US or EU"));
        assertThat(lines).anyMatch(line -> line.startsWith("name|character varying(100)|") && line.endsWith("|"));
        assertThat(lines).anyMatch(line -> line.matches(" {4}\"[^\"]+\" PRIMARY KEY, btree \\(id\\)"));
        assertThat(describe("\\dt+ shop.customers")).anyMatch(line -> line.startsWith("shop|customers|table|") && line.endsWith("|One row per customer account"));
    }

    @Test
    void listRoles()
            throws Exception
    {
        List<String> lines = describe("\\du");
        assertThat(lines).contains("List of roles");
        assertThat(lines).anyMatch(line -> line.startsWith("alice|"));
    }

    /** Rows of \dt without the owner column (Schema|Name|Type). */
    private static List<String> tableRows(List<String> lines)
    {
        assertThat(lines).contains("List of relations", "Schema|Name|Type|Owner");
        return lines.stream()
                .filter(line -> line.chars().filter(c -> c == '|').count() == 3 && !line.equals("Schema|Name|Type|Owner"))
                .map(line -> line.substring(0, line.lastIndexOf('|')))
                .toList();
    }

    /** Runs a meta-command as alice; it must succeed. */
    private static List<String> describe(String command)
            throws Exception
    {
        ClientProcess.Result result = ClientProcess.run(
                List.of(PSQL.toString(),
                        "--no-psqlrc",
                        "--host=127.0.0.1",
                        "--port=" + gateway.pgPort(),
                        "--username=alice",
                        "--dbname=sekisho",
                        "--no-align",
                        "--field-separator=|",
                        "--set=ON_ERROR_STOP=1",
                        "--set=VERBOSITY=verbose",
                        "--command=" + command),
                Map.of("PGPASSWORD", "alice" + TestingGateway.PASSWORD_SUFFIX, "PGCLIENTENCODING", "UTF8", "PGCONNECT_TIMEOUT", "10"),
                Duration.ofSeconds(60));
        assertThat(result.exitCode()).as("psql %s: %s", command, result).isZero();
        assertThat(result.stderr()).as("psql %s", command).isEmpty();
        return result.lines();
    }
}
