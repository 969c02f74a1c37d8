package dev.sekisho.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL 15 (zonky's embedded binaries) holding exactly the demo shop's rows, the
 * reference that the differential tests hold the gateway to. One instance per test JVM
 * ({@link #shared()}), stopped at JVM exit.
 *
 * <p>The tables are created with the column types the gateway reports for them (so PostgreSQL
 * answers what a PostgreSQL holding the tables Sekisho presents would answer), and the rows are
 * copied from MariaDB over JDBC: nothing is translated by hand. The database {@code sekisho} is
 * created with the {@code C} collation and UTF-8, as the gateway's catalog reports, and the table
 * schema is {@code shop}, so that the same statements run unchanged on both.
 */
public final class TestingPostgres
        implements AutoCloseable
{
    public static final String DATABASE = "sekisho";
    public static final String USER = "postgres";

    /** The demo's tables, parents first. */
    private static final List<String> TABLES = List.of("customers", "products", "orders", "order_items");

    private static TestingPostgres shared;

    private final EmbeddedPostgres postgres;

    private TestingPostgres(EmbeddedPostgres postgres)
    {
        this.postgres = postgres;
    }

    /** The JVM-wide instance, loaded from {@link TestingGateway#shared()}'s MariaDB on first use. */
    public static synchronized TestingPostgres shared()
    {
        if (shared == null) {
            shared = start(TestingGateway.shared());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "testing-postgres-shutdown"));
        }
        return shared;
    }

    private static TestingPostgres start(TestingGateway gateway)
    {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("encoding", "UTF8")
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        TestingPostgres started = new TestingPostgres(postgres);
        try {
            try (Connection admin = started.connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
            }
            try (Connection target = started.connect(DATABASE);
                    Connection through = gateway.connect("admin");
                    Connection mariaDb = gateway.connectDirect("shop")) {
                target.setAutoCommit(false);
                try (Statement statement = target.createStatement()) {
                    statement.execute("CREATE SCHEMA shop");
                    // the demo server's zone, so that now() and timestamptz print alike when a session does not SET TimeZone
                    statement.execute("ALTER DATABASE " + DATABASE + " SET TimeZone = 'UTC'");
                }
                for (String table : TABLES) {
                    copy(table, through, mariaDb, target);
                }
                target.commit();
                try (Statement statement = target.createStatement()) {
                    target.setAutoCommit(true);
                    statement.execute("ANALYZE");
                }
            }
        }
        catch (SQLException e) {
            started.close();
            throw new IllegalStateException("cannot load the demo shop into the embedded PostgreSQL", e);
        }
        return started;
    }

    /** Creates {@code shop.TABLE} with the gateway's column types and copies MariaDB's rows into it. */
    private static void copy(String table, Connection through, Connection mariaDb, Connection target)
            throws SQLException
    {
        List<String> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        try (PreparedStatement statement = through.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                FROM pg_catalog.pg_attribute a
                JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'shop' AND c.relname = ? AND a.attnum > 0
                ORDER BY a.attnum""")) {
            statement.setString(1, table);
            try (ResultSet resultSet = statement.executeQuery()) {
                while (resultSet.next()) {
                    columns.add(resultSet.getString(1));
                    definitions.add('"' + resultSet.getString(1) + "\" " + resultSet.getString(2) + (resultSet.getBoolean(3) ? " NOT NULL" : ""));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("the gateway shows no columns for shop." + table);
        }
        try (Statement statement = target.createStatement()) {
            statement.execute("CREATE TABLE shop." + table + " (" + String.join(", ", definitions) + ", PRIMARY KEY (id))");
        }
        String insert = "INSERT INTO shop." + table + " VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        try (Statement read = mariaDb.createStatement();
                ResultSet rows = read.executeQuery("SELECT `" + String.join("`, `", columns) + "` FROM shop." + table + " ORDER BY id");
                PreparedStatement write = target.prepareStatement(insert)) {
            ResultSetMetaData metaData = rows.getMetaData();
            int batched = 0;
            while (rows.next()) {
                for (int i = 1; i <= metaData.getColumnCount(); i++) {
                    write.setObject(i, rows.getObject(i));
                }
                write.addBatch();
                if (++batched % 2000 == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
    }

    public int port()
    {
        return postgres.getPort();
    }

    /** A pgjdbc URL for the reference database (no user in it). */
    public String jdbcUrl()
    {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** A pgjdbc connection to the reference database as its superuser. */
    public Connection connect()
            throws SQLException
    {
        return connect(DATABASE);
    }

    private Connection connect(String database)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, properties);
    }

    @Override
    public synchronized void close()
    {
        try {
            postgres.close();
        }
        catch (IOException ignored) {
            // a server that does not stop cleanly dies with the JVM
        }
    }
}
