package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tableau's temp-table probes ({@code CREATE TEMP TABLE "#Tableau_..."}, then DROP TABLE): the
 * gateway pretends to create these, and only these, so that Tableau goes on without temp tables.
 * Nothing reaches a source. Like real temp tables they are transactional: those created in a
 * transaction that rolls back are gone.
 */
final class TableauTempTables
{
    private static final String PREFIX = "#tableau_";
    private static final String DUPLICATE_TABLE = "42P07";

    /** Probe tables: name to whether it was created in the transaction in progress. */
    private final Map<String, Boolean> tables = new LinkedHashMap<>();

    /** Whether {@code name} is one of Tableau's probe tables (any other temp table is a write, refused). */
    static boolean isProbe(String name)
    {
        return name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    void create(Portal portal, SessionStatement.CreateTempTable create)
    {
        if (tables.containsKey(create.name())) {
            if (!create.ifNotExists()) {
                throw new QueryException(DUPLICATE_TABLE, "relation \"" + create.name() + "\" already exists");
            }
            portal.notices().add(new Notice(DUPLICATE_TABLE, "relation \"" + create.name() + "\" already exists, skipping"));
        }
        else {
            tables.put(create.name(), true);
        }
        portal.startCommand("CREATE TABLE");
    }

    void drop(Portal portal, SessionStatement.DropTable drop)
    {
        for (String table : drop.names()) {
            if (!tables.containsKey(table)) {
                if (!drop.ifExists()) {
                    throw new QueryException(SqlStates.UNDEFINED_TABLE, "table \"" + table + "\" does not exist");
                }
                portal.notices().add(new Notice(SqlStates.SUCCESSFUL_COMPLETION, "table \"" + table + "\" does not exist, skipping"));
            }
        }
        drop.names().forEach(tables::remove);
        portal.startCommand("DROP TABLE");
    }

    /** DISCARD ALL and DISCARD TEMP. */
    void clear()
    {
        tables.clear();
    }

    /** A commit keeps the tables created in the transaction; a rollback drops them. */
    void endTransaction(boolean commit)
    {
        if (commit) {
            tables.replaceAll((name, pending) -> false);
        }
        else {
            tables.values().removeIf(pending -> pending);
        }
    }
}
