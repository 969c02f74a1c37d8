package dev.sekisho.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What each account (a person, {@code user:NAME}, or a team, {@code team:GROUP}) has spent and
 * has reserved per period (a day {@code 2026-12-05} or a month {@code 2026-12}), in a database
 * through JDBC. The same SQL runs on H2, PostgreSQL and MySQL/MariaDB; the gateway creates the
 * tables when they are missing.
 *
 * <p>A {@link #reserve reservation} locks the rows of its accounts ({@code SELECT ... FOR UPDATE})
 * and adds its bytes only when every limit still holds with what is spent and what statements in
 * flight (on any gateway sharing the database) have reserved; {@link Reservation#settle settlement}
 * replaces the reservation with the bytes actually billed. So concurrent reservations never
 * overshoot together; only a statement billed more than it reserved can, and by at most its
 * {@code maximumBytesBilled} ({@link Reservation#remaining()}) minus its reservation. Reservations
 * of a gateway that died are given back after {@link #STALE_AFTER}, when a gateway opens the
 * ledger. Thread-safe.
 */
public final class Ledger
        implements AutoCloseable
{
    /** How long a reservation that was never settled (its gateway died) counts. */
    public static final Duration STALE_AFTER = Duration.ofHours(6);

    private static final int SCHEMA_VERSION = 1;

    private final HikariDataSource dataSource;

    private Ledger(HikariDataSource dataSource)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /** One account's limits in one reservation. */
    public record Charge(String account, String period, OptionalLong limit, String limitOrigin)
    {
        public Charge
        {
            requireNonNull(account, "account is null");
            requireNonNull(period, "period is null");
            requireNonNull(limit, "limit is null");
            requireNonNull(limitOrigin, "limitOrigin is null");
        }
    }

    /** What an account has spent and reserved in a period. */
    public record Usage(String account, String period, long spent, long reserved) {}

    /**
     * Opens the ledger at {@code jdbcUrl} ({@code jdbc:h2:file:...}, {@code jdbc:postgresql:...},
     * {@code jdbc:mysql:...}), creating its tables when they are missing and giving back stale reservations.
     */
    public static Ledger open(String jdbcUrl, String user, String password)
    {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("sekisho-ledger");
        config.setAutoCommit(true);
        HikariDataSource dataSource = new HikariDataSource(config);
        Ledger ledger = new Ledger(dataSource);
        try {
            ledger.migrate();
            ledger.expireStale();
        }
        catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return ledger;
    }

    /**
     * Creates the tables when missing. Gateways that share a ledger may start together: PostgreSQL
     * lets two concurrent {@code CREATE TABLE IF NOT EXISTS} race (one fails on its catalog's unique
     * index, 23505, or with 42P07), so such a failure is tried again, when the other's tables exist.
     */
    private void migrate()
    {
        for (int attempt = 1; ; attempt++) {
            try {
                migrateOnce();
                return;
            }
            catch (IllegalStateException e) {
                String state = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
                if (attempt >= 5 || !("23505".equals(state) || "42P07".equals(state))) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void migrateOnce()
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sekisho_ledger_version (version INT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS sekisho_ledger (account VARCHAR(255) NOT NULL, period VARCHAR(16) NOT NULL, "
                    + "spent_bytes BIGINT NOT NULL, reserved_bytes BIGINT NOT NULL, PRIMARY KEY (account, period))");
            statement.execute("CREATE TABLE IF NOT EXISTS sekisho_ledger_reservation (id VARCHAR(36) NOT NULL, account VARCHAR(255) NOT NULL, "
                    + "period VARCHAR(16) NOT NULL, bytes BIGINT NOT NULL, created_millis BIGINT NOT NULL, PRIMARY KEY (id, account, period))");
            try (ResultSet version = statement.executeQuery("SELECT version FROM sekisho_ledger_version")) {
                if (!version.next()) {
                    statement.execute("INSERT INTO sekisho_ledger_version (version) VALUES (" + SCHEMA_VERSION + ")");
                }
                else if (version.getInt(1) > SCHEMA_VERSION) {
                    throw new IllegalStateException("the ledger's tables are of version " + version.getInt(1) + ", newer than this gateway's "
                            + SCHEMA_VERSION + "; upgrade the gateway");
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create the ledger's tables: " + e.getMessage(), e);
        }
    }

    /** Gives back reservations older than {@link #STALE_AFTER} (their gateway died before settling). */
    void expireStale()
    {
        long before = System.currentTimeMillis() - STALE_AFTER.toMillis();
        List<String> stale = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT DISTINCT id FROM sekisho_ledger_reservation WHERE created_millis < ?")) {
            select.setLong(1, before);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stale.add(rows.getString(1));
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
        for (String id : stale) {
            settle(id, 0);
        }
    }

    /**
     * Reserves {@code bytes} against every charge, or refuses (53400) naming the first account
     * whose limit they would pass.
     */
    public Reservation reserve(List<Charge> charges, long bytes)
    {
        return reserve(charges, bytes, bytes, ByteText.format(bytes) + " by its dry run");
    }

    /**
     * Reserves at least {@code bytes} and, when the limits leave more, up to {@code upTo}: a
     * statement whose estimate is no bound (BigQuery's LOWER_BOUND or UNKNOWN accuracy) holds all it
     * may be billed, so statements running beside it cannot overshoot either. Refuses (53400) when
     * {@code bytes} do not fit; {@code estimate} says in the refusal what the statement would read.
     */
    public Reservation reserve(List<Charge> charges, long bytes, long upTo, String estimate)
    {
        requireNonNull(estimate, "estimate is null");
        List<Charge> sorted = charges.stream().sorted(Comparator.comparing(Charge::account).thenComparing(Charge::period)).toList();
        String id = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection()) {
            for (Charge charge : sorted) {
                ensureRow(connection, charge);
            }
            connection.setAutoCommit(false);
            try {
                long remaining = Long.MAX_VALUE;
                for (Charge charge : sorted) {
                    Usage usage = lockedUsage(connection, charge);
                    if (charge.limit().isPresent()) {
                        long left = charge.limit().getAsLong() - usage.spent() - usage.reserved();
                        if (bytes > left) {
                            connection.rollback();
                            throw new QueryException(SqlStates.CONFIGURATION_LIMIT_EXCEEDED, refusal(charge, usage, estimate),
                                    "Filter on a partition column or select fewer columns, or wait for the next " + (charge.period().length() == 7 ? "month" : "day")
                                            + "; SHOW sekisho.budget tells what is left.", null);
                        }
                        remaining = Math.min(remaining, left);
                    }
                }
                long reserved = Math.max(bytes, Math.min(upTo, remaining));
                if (reserved == Long.MAX_VALUE) {
                    // no limit bounds the statement: there is nothing to hold back for it
                    reserved = bytes;
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE sekisho_ledger SET reserved_bytes = reserved_bytes + ? WHERE account = ? AND period = ?");
                        PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO sekisho_ledger_reservation (id, account, period, bytes, created_millis) VALUES (?, ?, ?, ?, ?)")) {
                    for (Charge charge : sorted) {
                        update.setLong(1, reserved);
                        update.setString(2, charge.account());
                        update.setString(3, charge.period());
                        update.executeUpdate();
                        insert.setString(1, id);
                        insert.setString(2, charge.account());
                        insert.setString(3, charge.period());
                        insert.setLong(4, reserved);
                        insert.setLong(5, System.currentTimeMillis());
                        insert.executeUpdate();
                    }
                }
                connection.commit();
                return new Reservation(this, id, reserved, remaining == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(remaining));
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException e) {
            throw new QueryException(SqlStates.CONNECTION_FAILURE, "the budget ledger cannot be reached: " + e.getMessage(),
                    "Statements that spend a budget are refused until it answers; ask an admin.", e);
        }
    }

    /** What {@code account} has spent and reserved in {@code period}. */
    public Usage usage(String account, String period)
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT spent_bytes, reserved_bytes FROM sekisho_ledger WHERE account = ? AND period = ?")) {
            select.setString(1, account);
            select.setString(2, period);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new Usage(account, period, rows.getLong(1), rows.getLong(2)) : new Usage(account, period, 0, 0);
            }
        }
        catch (SQLException e) {
            throw new QueryException(SqlStates.CONNECTION_FAILURE, "the budget ledger cannot be reached: " + e.getMessage());
        }
    }

    /** Replaces reservation {@code id} with {@code billed} bytes spent, in every account it reserved in. */
    void settle(String id, long billed)
    {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<String[]> entries = new ArrayList<>();
                List<Long> amounts = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT account, period, bytes FROM sekisho_ledger_reservation WHERE id = ? ORDER BY account, period")) {
                    select.setString(1, id);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            entries.add(new String[] {rows.getString(1), rows.getString(2)});
                            amounts.add(rows.getLong(3));
                        }
                    }
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE sekisho_ledger SET reserved_bytes = reserved_bytes - ?, spent_bytes = spent_bytes + ? WHERE account = ? AND period = ?");
                        PreparedStatement delete = connection.prepareStatement("DELETE FROM sekisho_ledger_reservation WHERE id = ?")) {
                    for (int i = 0; i < entries.size(); i++) {
                        update.setLong(1, amounts.get(i));
                        update.setLong(2, billed);
                        update.setString(3, entries.get(i)[0]);
                        update.setString(4, entries.get(i)[1]);
                        update.executeUpdate();
                    }
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                connection.commit();
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("settling reservation " + id + " in the budget ledger failed: " + e.getMessage(), e);
        }
    }

    private static void ensureRow(Connection connection, Charge charge)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM sekisho_ledger WHERE account = ? AND period = ?")) {
            select.setString(1, charge.account());
            select.setString(2, charge.period());
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sekisho_ledger (account, period, spent_bytes, reserved_bytes) VALUES (?, ?, 0, 0)")) {
            insert.setString(1, charge.account());
            insert.setString(2, charge.period());
            insert.executeUpdate();
        }
        catch (SQLException e) {
            // another gateway or thread inserted it first (unique violation, SQLSTATE class 23)
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    private static Usage lockedUsage(Connection connection, Charge charge)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT spent_bytes, reserved_bytes FROM sekisho_ledger WHERE account = ? AND period = ? FOR UPDATE")) {
            select.setString(1, charge.account());
            select.setString(2, charge.period());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("ledger row of " + charge.account() + " " + charge.period() + " is missing");
                }
                return new Usage(charge.account(), charge.period(), rows.getLong(1), rows.getLong(2));
            }
        }
    }

    private static String refusal(Charge charge, Usage usage, String estimate)
    {
        long limit = charge.limit().getAsLong();
        long left = Math.max(0, limit - usage.spent() - usage.reserved());
        String when = charge.period().length() == 7 ? "this month (" + charge.period() + ")" : "today (" + charge.period() + ")";
        return "statement would read %s, but %s has %s left %s: %s per %s (%s), %s spent, %s reserved by statements running"
                .formatted(estimate, charge.account(), ByteText.format(left), when, ByteText.format(limit),
                        charge.period().length() == 7 ? "month" : "day", charge.limitOrigin(), ByteText.format(usage.spent()), ByteText.format(usage.reserved()));
    }

    @Override
    public void close()
    {
        dataSource.close();
    }

    /** Bytes reserved before a statement runs; {@link #settle} charges what it was billed instead. */
    public static final class Reservation
    {
        private final Ledger ledger;
        private final String id;
        private final long bytes;
        private final OptionalLong remaining;
        private boolean settled;

        private Reservation(Ledger ledger, String id, long bytes, OptionalLong remaining)
        {
            this.ledger = ledger;
            this.id = id;
            this.bytes = bytes;
            this.remaining = remaining;
        }

        /** The bytes reserved. */
        public long bytes()
        {
            return bytes;
        }

        /**
         * The smallest allowance left, before this reservation, of the accounts it charges: the
         * statement's {@code maximumBytesBilled}. Empty when no account has a limit.
         */
        public OptionalLong remaining()
        {
            return remaining;
        }

        /** Charges {@code billed} bytes instead of the reservation; once. */
        public synchronized void settle(long billed)
        {
            if (settled) {
                return;
            }
            settled = true;
            ledger.settle(id, billed);
        }
    }
}
