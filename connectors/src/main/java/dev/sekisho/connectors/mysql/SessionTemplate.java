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
import java.util.Set;

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

    private static final String DIFFERING = "SELECT LOWER(s.VARIABLE_NAME), s.VARIABLE_VALUE FROM information_schema.SESSION_VARIABLES s "
            + "JOIN information_schema.GLOBAL_VARIABLES g ON g.VARIABLE_NAME = s.VARIABLE_NAME WHERE NOT (s.VARIABLE_VALUE <=> g.VARIABLE_VALUE) "
            // the pool's init SQL sets the collation, maybe to the global value, which the handshake's collation id need not give; the
            // character sets are left as the handshake sets them unless the JDBC session's differ from the global ones (SET character_set_client
            // would also replace the collation the handshake gave server-side string parameters)
            + "OR s.VARIABLE_NAME = 'COLLATION_CONNECTION' "
            + "ORDER BY s.VARIABLE_NAME";

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
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(DIFFERING)) {
            while (result.next()) {
                String name = result.getString(1).toLowerCase(Locale.ROOT);
                if (NOT_COPIED.contains(name) || !name.matches("[a-z0-9_]+")) {
                    continue;
                }
                String value = result.getString(2);
                // information_schema shows a character set of NULL (Connector/J's character_set_results) as ''
                String assignment = name + " = " + (name.startsWith("character_set_") && (value == null || value.isEmpty()) ? "NULL" : literal(value));
                (name.startsWith("collation_") ? collations : assignments).add(assignment);
            }
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

    /** A variable's value as SQL: a number as it is, NULL, otherwise a quoted string. */
    static String literal(String value)
    {
        if (value == null) {
            return "NULL";
        }
        if (value.matches("-?[0-9]{1,18}(\\.[0-9]+)?")) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
