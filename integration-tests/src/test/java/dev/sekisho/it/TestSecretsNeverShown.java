package dev.sekisho.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.cli.SekishoCommand;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Source passwords taken from {@code ${file:}} references never show: not in any log line (at
 * DEBUG, HikariCP and Connector/J included), not in an error a client or an admin sees, not in
 * {@code check-config}'s output, whether the password is right, wrong, or put where it does not
 * belong. Everything printed is collected and searched for the secrets.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestSecretsNeverShown
{
    private static final String SECRET = "Sx-" + UUID.randomUUID();
    private static final String WRONG_SECRET = "Wx-" + UUID.randomUUID();

    @Test
    void noSecretInLogsErrorsOrCheckConfig(@TempDir Path directory)
            throws Exception
    {
        TestingGateway shared = TestingGateway.shared();
        try (Connection root = shared.connectDirect("shop"); Statement statement = root.createStatement()) {
            for (String host : List.of("%", "localhost", "127.0.0.1")) {
                statement.execute("CREATE USER IF NOT EXISTS 'secret_reader'@'" + host + "' IDENTIFIED BY '" + SECRET + "'");
                statement.execute("GRANT SELECT ON shop.* TO 'secret_reader'@'" + host + "'");
            }
        }
        Files.writeString(directory.resolve("right"), SECRET + "\n");
        Files.writeString(directory.resolve("wrong"), WRONG_SECRET + "\n");
        Files.writeString(directory.resolve("users.yaml"), "users:\n  alice: {password: \"%s\"}\n".formatted(TestingGateway.passwordVerifier("alice-pw")));
        Path right = config(directory, "right.yaml", shared.mariaDb().port(), "right", "");
        Path wrong = config(directory, "wrong.yaml", shared.mariaDb().port(), "wrong", "");
        Path misplaced = config(directory, "misplaced.yaml", shared.mariaDb().port(), "right", "policies: {dir: policies, watch: \"${file:right}\"}");

        List<String> shown = new ArrayList<>();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger rootLogger = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = rootLogger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(logging);
        appender.start();
        rootLogger.addAppender(appender);
        rootLogger.setLevel(Level.DEBUG);
        try {
            // the right password: queries work
            try (Gateway gateway = Gateway.start(SekishoConfigLoader.load(right));
                    Connection alice = TestingGateway.connect(gateway, "alice", "alice-pw");
                    Statement statement = alice.createStatement()) {
                try (ResultSet rows = statement.executeQuery("select count(*) from shop.products")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(100);
                }
                assertThatThrownBy(() -> statement.executeQuery("select nope from shop.products")).isInstanceOf(SQLException.class)
                        .satisfies(e -> shown.add(e.getMessage()));
            }
            // the wrong password: the source refuses; the gateway starts without its tables (a source
            // that does not answer at start-up stops no gateway), logs why, and a query says what is missing
            try (Gateway gateway = Gateway.start(SekishoConfigLoader.load(wrong));
                    Connection alice = TestingGateway.connect(gateway, "alice", "alice-pw");
                    Statement statement = alice.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("select count(*) from shop.products")).isInstanceOf(SQLException.class)
                        .satisfies(e -> shown.add(e.getMessage()));
            }
            assertThat(logged(appender)).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("refused the gateway's credentials"));
            // the secret where a boolean belongs: the error quotes it blanked out
            assertThatThrownBy(() -> SekishoConfigLoader.load(misplaced))
                    .satisfies(e -> shown.add(e.getMessage()))
                    .hasMessageContaining("policies.watch").hasMessageContaining("****");
            // check-config on all three
            shown.add(checkConfig(right));
            shown.add(checkConfig(wrong));
            shown.add(checkConfig(misplaced));
        }
        finally {
            rootLogger.detachAppender(appender);
            rootLogger.setLevel(level);
        }
        List<ILoggingEvent> events = logged(appender);
        for (ILoggingEvent event : events) {
            shown.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                shown.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        // the test sees what it should: the logs of both gateways, the refusal, check-config's verdicts
        String everything = String.join("\n", shown);
        assertThat(events).hasSizeGreaterThan(20);
        assertThat(everything).contains("listening on").contains("Access denied for user 'secret_reader'").contains(": OK (")
                .contains("do not answer");
        assertThat(everything).doesNotContain(SECRET).doesNotContain(WRONG_SECRET);
    }

    /**
     * What the appender has caught so far, copied under its lock: other threads (a gateway's
     * background work, the shared test server's) keep logging while the test reads.
     */
    private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> appender)
    {
        // AppenderBase.doAppend appends while holding the appender's monitor
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    private static Path config(Path directory, String name, int port, String secretFile, String extra)
            throws IOException
    {
        Path file = directory.resolve(name);
        Files.writeString(file, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [shop]
                auth: {watch_users_file: false}
                %s
                sources:
                  shop:
                    type: mysql
                    primary: {host: 127.0.0.1, port: %d, user: secret_reader, password: "${file:%s}"}
                    read_from_primary: true
                    databases: [shop]
                    pool: {max_size: 2, connection_timeout_ms: 1000}
                """.formatted(extra, port, secretFile));
        return file;
    }

    private static synchronized String checkConfig(Path config)
    {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            System.setOut(captured);
            System.setErr(captured);
            SekishoCommand.execute("check-config", config.toString());
            return bytes.toString(StandardCharsets.UTF_8);
        }
        finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
