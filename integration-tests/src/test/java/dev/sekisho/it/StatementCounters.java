package dev.sekisho.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** MariaDB's own statement counters ({@code Com_*}), for tests that count what reaches the source. */
final class StatementCounters
{
    private StatementCounters() {}

    /** The global counters, read on one connection (SHOW is counted only as Com_show_status). */
    static Map<String, Long> read(Connection probe)
            throws SQLException
    {
        Map<String, Long> counters = new HashMap<>();
        try (Statement statement = probe.createStatement(); ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com\\_%'")) {
            while (rows.next()) {
                counters.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counters;
    }

    /** The counters that moved, without the replica monitor's checks (DO 1, SHOW ...) that run beside the statements. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after)
    {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((name, value) -> {
            long change = value - before.getOrDefault(name, 0L);
            if (change != 0 && !name.equals("Com_do") && !name.startsWith("Com_show_")) {
                delta.put(name, change);
            }
        });
        return delta;
    }
}
