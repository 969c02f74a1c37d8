package dev.sekisho.connectors.mysql;

import com.mysql.cj.CharsetSettings;
import com.mysql.cj.jdbc.JdbcConnection;
import dev.sekisho.connectors.mysql.wire.WireConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a non-blocking connection to one server is made to have the session of the JDBC path's
 * connections (Connector/J's own settings plus {@code ReplicaPool}'s {@code connectionInitSql}),
 * read once from a pooled Connector/J connection of that server, off the I/O threads:
 * <ul>
 *     <li>one {@code SET} of every session variable whose value differs from the server's global
 *     one (what Connector/J and the pool's init SQL changed: character sets, collation, time zone,
 *     sql_mode, net_write_timeout, read-only, ...), and of the collation (which the pool's init SQL
 *     sets) whatever its value, last;</li>
 *     <li>the collation id Connector/J sends in its handshake for UTF-8 on this server (server-side
 *     string parameters take it, see {@link SourcePreparation});</li>
 *     <li>the collation ids Connector/J decodes as UTF-8, with their bytes per character.</li>
 * </ul>
 *
 * @param login what a connection logs in with
 * @param utf8Collations collation id to bytes per character, for the ids Connector/J reads as UTF-8
 */
record SessionTemplate(WireConnection.Login login, Map<Integer, Integer> utf8Collations)
{
    /** Variables never copied: they belong to one connection (its id, its clock) rather than to the session's settings. */
    static final Set<String> NOT_COPIED = Set.of("pseudo_thread_id", "timestamp", "rand_seed1", "rand_seed2", "last_insert_id", "insert_id", "identity",
            "gtid_seq_no", "last_gtid");

    /**
     * Copied whatever its value: the pool's init SQL sets the collation, maybe to the global value, which the handshake's collation
     * id need not give. The character sets are left as the handshake sets them unless the JDBC session's differ from the global
     * ones ({@code SET character_set_client} would also replace the collation the handshake gave server-side string parameters).
     */
    private static final String ALWAYS_COPIED = "collation_connection";

    SessionTemplate
    {
        utf8Collations = Map.copyOf(utf8Collations);
    }

    /** Reads the template from {@code connection}, a pooled connection of {@code server}. */
    static SessionTemplate read(Connection connection, MySqlConfig.Server server)
            throws SQLException
    {
        List<String> assignments = new ArrayList<>();
        List<String> collations = new ArrayList<>();
        // SHOW rather than information_schema.SESSION_VARIABLES, which MySQL 8 no longer has: the same on MariaDB and MySQL
        Map<String, String> global = variables(connection, "SHOW GLOBAL VARIABLES");
        // the SET is read under the new connection's sql_mode, the global one
        boolean backslashEscapes = !global.getOrDefault("sql_mode", "").toUpperCase(Locale.ROOT).contains("NO_BACKSLASH_ESCAPES");
        for (Map.Entry<String, String> variable : variables(connection, "SHOW SESSION VARIABLES").entrySet()) {
            String name = variable.getKey();
            String value = variable.getValue();
            // only variables with a global value too (session-only ones belong to the connection), and only what differs
            if (NOT_COPIED.contains(name) || !name.matches("[a-z0-9_]+") || !global.containsKey(name)
                    || (Objects.equals(value, global.get(name)) && !name.equals(ALWAYS_COPIED))) {
                continue;
            }
            // SHOW gives a character set of NULL (Connector/J's character_set_results) as ''
            String assignment = name + " = " + (name.startsWith("character_set_") && (value == null || value.isEmpty()) ? "NULL" : literal(value, backslashEscapes));
            (name.startsWith("collation_") ? collations : assignments).add(assignment);
        }
        assignments.addAll(collations);
        JdbcConnection physical = connection.unwrap(JdbcConnection.class);
        CharsetSettings charsets = physical.getSession().getServerSession().getCharsetSettings();
        int handshakeCollation = charsets.getCollationIndexForJavaEncoding("UTF-8", physical.getServerVersion());
        Map<Integer, Integer> utf8 = new HashMap<>();
        for (int id = 1; id < 2048; id++) {
            String encoding = charsets.getJavaEncodingForCollationIndex(id);
            if (encoding != null && (encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8"))) {
                utf8.put(id, charsets.getMaxBytesPerChar(id, encoding));
            }
        }
        String sessionSql = assignments.isEmpty() ? null : "SET SESSION " + String.join(", ", assignments);
        WireConnection.Login login = new WireConnection.Login(server.user(), server.password(), MySqlNonBlockingReads.database(server.jdbcUrl()),
                handshakeCollation, sessionSql);
        return new SessionTemplate(login, utf8);
    }

    /** The variables {@code show} lists, by lower-case name, in name order. */
    private static Map<String, String> variables(Connection connection, String show)
            throws SQLException
    {
        Map<String, String> variables = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(show)) {
            while (result.next()) {
                variables.put(result.getString(1).toLowerCase(Locale.ROOT), result.getString(2));
            }
        }
        return variables;
    }

    /**
     * A variable's value as SQL: a number as it is, NULL, otherwise a quoted string.
     *
     * @param backslashEscapes whether the server reads a backslash in a string as an escape (no NO_BACKSLASH_ESCAPES in sql_mode)
     */
    static String literal(String value, boolean backslashEscapes)
    {
        if (value == null) {
            return "NULL";
        }
        if (value.matches("-?[0-9]{1,18}(\\.[0-9]+)?")) {
            return value;
        }
        String escaped = backslashEscapes ? value.replace("\\", "\\\\") : value;
        return "'" + escaped.replace("'", "''") + "'";
    }
}
