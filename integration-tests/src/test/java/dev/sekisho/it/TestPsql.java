package dev.sekisho.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code psql} binary against the gateway: each result, printed unaligned, equals the
 * same query run directly on MariaDB and formatted as PostgreSQL prints text (NULL empty,
 * booleans t/f, timestamps {@code yyyy-MM-dd HH:mm:ss}). Skipped when psql is not installed.
 */
public class TestPsql
{
    private static final Path PSQL = Path.of("/usr/bin/psql");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static TestingGateway gateway;

    @BeforeAll
    public static void setUp()
    {
        boolean installed = Files.isExecutable(PSQL);
        if (!installed) {
            System.out.println("TestPsql skipped: " + PSQL + " is not installed (Debian/Ubuntu: apt-get install postgresql-client)");
        }
        assumeTrue(installed, PSQL + " is not installed (Debian/Ubuntu: apt-get install postgresql-client)");
        gateway = TestingGateway.shared();
    }

    @Test
    public void testCount()
            throws Exception
    {
        assertSameAsDirect("select count(*) from shop.customers");
    }

    @Test
    public void testPointLookup()
            throws Exception
    {
        List<String> lines = assertSameAsDirect(
                "select id, name, email, phone, region, segment, birth_date, created_at, is_active from shop.customers where id = 42");
        assertThat(lines).hasSize(1);
    }

    @Test
    public void testNonAsciiText()
            throws Exception
    {
        // JP customers have kanji names
        List<String> lines = assertSameAsDirect("select id, name from shop.customers where region = 'JP' and id <= 10 order by id");
        assertThat(lines).anySatisfy(line -> assertThat(line).containsPattern("\\p{IsHan}"));
    }

    @Test
    public void testFilter()
            throws Exception
    {
        List<String> lines = assertSameAsDirect(
                "select id, name, region, is_active from shop.customers where region = 'JP' and segment = 'business' and id < 200 order by id");
        assertThat(lines).hasSizeGreaterThan(5);
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("|f"));
        assertThat(lines).anySatisfy(line -> assertThat(line).endsWith("|t"));
    }

    @Test
    public void testJoin()
            throws Exception
    {
        List<String> lines = assertSameAsDirect("""
                select o.id, c.name, o.amount, o.currency, o.status, o.ordered_at
                from shop.orders o join shop.customers c on c.id = o.customer_id
                where o.customer_id between 10 and 14
                order by o.id""");
        assertThat(lines).hasSizeGreaterThan(10);
    }

    @Test
    public void testAggregate()
            throws Exception
    {
        List<String> lines = assertSameAsDirect("""
                select c.region, o.status, count(*), sum(o.amount), min(o.ordered_at)
                from shop.orders o join shop.customers c on c.id = o.customer_id
                group by c.region, o.status
                order by c.region, o.status""");
        assertThat(lines).hasSize(3 * 5);
    }

    @Test
    public void testOrderByLimit()
            throws Exception
    {
        List<String> lines = assertSameAsDirect("select id, customer_id, amount from shop.orders order by amount desc, id limit 7");
        assertThat(lines).hasSize(7);
    }

    @Test
    public void testNulls()
            throws Exception
    {
        List<String> lines = assertSameAsDirect("select id, email, phone, birth_date from shop.customers where id between 30 and 50 order by id");
        // customer 37 has no email, 33 no phone, 46 no birth date: psql prints NULL as nothing
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("37||"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("33\\|[^|]+\\|\\|\\d{4}-\\d{2}-\\d{2}"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("46\\|[^|]+\\|[^|]+\\|"));
    }

    @Test
    public void testMultipleStatementsInOneCommand()
            throws Exception
    {
        PsqlResult result = psql("alice", "select 1; select 'two', null; select count(*) from shop.products");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).containsExactly("1", "two|", directLines("select count(*) from shop.products").get(0));
    }

    @Test
    public void testUnknownTable()
            throws Exception
    {
        PsqlResult result = psql("alice", "select * from shop.no_such_table");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).containsPattern("ERROR:  42P01: relation \"?[a-z_.\"]*no_such_table\"? does not exist");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    public void testSyntaxError()
            throws Exception
    {
        PsqlResult result = psql("alice", "selec id frm shop.customers");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("ERROR:  42601: ");
        assertThat(result.stderr()).containsIgnoringCase("syntax");
    }

    @Test
    public void testWrongPassword()
            throws Exception
    {
        PsqlResult result = psql("alice", "wrong-password", "select 1");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("password authentication failed for user \"alice\"");
        assertThat(result.stdout()).isEmpty();
    }

    /** Runs {@code sql} through psql and directly on MariaDB; the printed lines must be equal. */
    private static List<String> assertSameAsDirect(String sql)
            throws Exception
    {
        List<String> expected = directLines(sql);
        assertThat(expected).as("the direct result of %s", sql).isNotEmpty();
        PsqlResult result = psql("bob", sql);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).as("psql output of %s", sql).containsExactlyElementsOf(expected);
        return result.lines();
    }

    private static PsqlResult psql(String user, String sql)
            throws Exception
    {
        return psql(user, user + TestingGateway.PASSWORD_SUFFIX, sql);
    }

    private static PsqlResult psql(String user, String password, String sql)
            throws Exception
    {
        ProcessBuilder builder = new ProcessBuilder(
                PSQL.toString(),
                "--no-psqlrc",
                "--host=127.0.0.1",
                "--port=" + gateway.pgPort(),
                "--username=" + user,
                "--dbname=sekisho",
                "--no-align",
                "--tuples-only",
                "--field-separator=|",
                "--set=VERBOSITY=verbose",
                "--command=" + sql);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("PGPASSWORD", password);
        environment.put("PGCLIENTENCODING", "UTF8");
        environment.put("PGCONNECT_TIMEOUT", "10");
        environment.put("LC_ALL", "C");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("psql did not finish within 60 s: " + sql);
        }
        return new PsqlResult(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> readAsync(InputStream stream)
    {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The same query on MariaDB, each row printed as psql prints PostgreSQL's text format unaligned. */
    private static List<String> directLines(String sql)
            throws SQLException
    {
        List<String> lines = new ArrayList<>();
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            while (resultSet.next()) {
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= metaData.getColumnCount(); column++) {
                    values.add(pgText(resultSet.getObject(column)));
                }
                lines.add(String.join("|", values));
            }
        }
        return lines;
    }

    private static String pgText(Object value)
    {
        if (value == null) {
            return "";
        }
        if (value instanceof Boolean bool) {
            return bool ? "t" : "f";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof LocalDateTime timestamp) {
            String text = timestamp.format(TIMESTAMP);
            if (timestamp.getNano() != 0) {
                text += String.format(".%06d", timestamp.getNano() / 1000).replaceAll("0+$", "");
            }
            return text;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return pgText(timestamp.toLocalDateTime());
        }
        // Integer, Long, String, java.sql.Date (yyyy-MM-dd)
        return value.toString();
    }

    private record PsqlResult(int exitCode, String stdout, String stderr)
    {
        List<String> lines()
        {
            return stdout.lines().toList();
        }
    }
}
