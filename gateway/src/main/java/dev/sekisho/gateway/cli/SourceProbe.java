package dev.sekisho.gateway.cli;

import dev.sekisho.connectors.mysql.MySqlConfig;
import dev.sekisho.connectors.mysql.ReplicaPool;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.planner.spi.InvalidConfigException;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Whether the servers of a configuration's sources answer, asked as the gateway's pools will ask:
 * one plain Connector/J connection to each read server, with the source's user, password and
 * driver properties. The answer is the driver's own reason ("Connection refused", "Access denied
 * for user ...") beside the server's host:port, rather than a pool's timeout.
 *
 * <p>Only {@code type: mysql} sources have servers to ask; a source of another type is checked
 * when the whole configuration is validated against the sources' schemas.
 */
final class SourceProbe
{
    private static final String MYSQL_URL_PREFIX = "jdbc:mysql://";

    /** Slack on top of the driver's connect timeout for the name lookup, which has none of its own. */
    private static final long LOOKUP_SLACK_MILLIS = 10_000;

    private SourceProbe() {}

    /**
     * One server's answer.
     *
     * @param source the source's name
     * @param role {@code replica} or {@code primary}
     * @param server the server's name in the configuration
     * @param address host:port
     * @param failure why it did not answer; empty when it did
     * @param cause the driver's exception, for {@code --verbose}
     */
    record Answer(String source, String role, String server, String address, Optional<String> failure, Optional<Throwable> cause)
    {
        Answer
        {
            requireNonNull(source, "source is null");
            requireNonNull(role, "role is null");
            requireNonNull(server, "server is null");
            requireNonNull(address, "address is null");
            requireNonNull(failure, "failure is null");
            requireNonNull(cause, "cause is null");
        }

        boolean answered()
        {
            return failure.isEmpty();
        }

        /** {@code source shop, replica r1 (db-1:3306): Connection refused}, without secrets. */
        String describe()
        {
            String who = server.contains(address) ? server : server + " (" + address + ")";
            String text = "source " + source + ", " + (who.startsWith(role) ? who : role + " " + who);
            return failure.map(reason -> text + ": " + reason).orElse(text + ": answers");
        }
    }

    /**
     * Asks every read server of every {@code mysql} source, at once.
     *
     * @throws dev.sekisho.gateway.config.ConfigException when a source's settings are invalid
     */
    static List<Answer> probe(SekishoConfig config)
    {
        List<Question> questions = new ArrayList<>();
        for (SekishoConfig.Source source : config.sources()) {
            if (!source.config().type().equals("mysql")) {
                continue;
            }
            MySqlConfig mysql;
            try {
                mysql = MySqlConfig.parse(source.config());
            }
            catch (InvalidConfigException e) {
                throw source.toConfigException(config.file().toString(), e);
            }
            for (MySqlConfig.Server server : mysql.readServers()) {
                questions.add(new Question(mysql, server));
            }
        }
        if (questions.isEmpty()) {
            return List.of();
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(questions.size(), 8), runnable -> {
            Thread thread = new Thread(runnable, "sekisho-source-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Answer>> futures = questions.stream().map(question -> executor.submit(question::ask)).toList();
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                answers.add(await(questions.get(i), futures.get(i)));
            }
            return answers;
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static Answer await(Question question, Future<Answer> future)
    {
        long waitMillis = question.mysql.pool().connectionTimeoutMillis() + LOOKUP_SLACK_MILLIS;
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            future.cancel(true);
            return question.answer(Optional.of("no answer within " + waitMillis + " ms"), Optional.empty());
        }
        catch (ExecutionException e) {
            return question.answer(Optional.of(String.valueOf(e.getCause())), Optional.of(e.getCause()));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return question.answer(Optional.of("interrupted"), Optional.empty());
        }
    }

    /** The driver's reason in one line: its message's first line, then the root cause's if it adds something. */
    static String reason(Throwable e)
    {
        String first = firstLine(e.getMessage(), e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e) {
            return first;
        }
        String rootReason = root instanceof UnknownHostException ? "unknown host " + root.getMessage() : firstLine(root.getMessage(), root);
        return first.contains(rootReason) ? first : first + ": " + rootReason;
    }

    private static String firstLine(String message, Throwable e)
    {
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElse(message).strip();
    }

    /** host:port of a Connector/J URL. */
    static String address(String jdbcUrl)
    {
        String rest = jdbcUrl.startsWith(MYSQL_URL_PREFIX) ? jdbcUrl.substring(MYSQL_URL_PREFIX.length()) : jdbcUrl;
        String authority = rest.split("[/?]", 2)[0];
        if (authority.contains(":") || authority.contains(",") || authority.contains("(")) {
            return authority;
        }
        return authority + ":" + MySqlConfig.DEFAULT_PORT;
    }

    private record Question(MySqlConfig mysql, MySqlConfig.Server server)
    {
        Answer ask()
        {
            Properties properties = new Properties();
            // the pool's settings (sslMode among them), so that the probe fails where the pool would
            properties.putAll(ReplicaPool.DEFAULT_PROPERTIES);
            properties.put("connectTimeout", String.valueOf(mysql.pool().connectionTimeoutMillis()));
            properties.putAll(mysql.driverProperties());
            properties.put("user", server.user());
            if (server.password() != null) {
                properties.put("password", server.password());
            }
            try (Connection ignored = DriverManager.getConnection(server.jdbcUrl(), properties)) {
                return answer(Optional.empty(), Optional.empty());
            }
            catch (SQLException e) {
                return answer(Optional.of(reason(e)), Optional.of(e));
            }
        }

        Answer answer(Optional<String> failure, Optional<Throwable> cause)
        {
            String role = mysql.primary() != null && mysql.primary().name().equals(server.name()) ? "primary" : "replica";
            return new Answer(mysql.source(), role, server.name(), address(server.jdbcUrl()), failure, cause);
        }
    }
}
