package dev.sekisho.planner.catalog;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.TableMetadata;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.IgnoreCaseLookup;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * One schema of one connector, as a Calcite schema. Tables are loaded from the connector's metadata
 * on first use and kept until the catalog is rebuilt.
 */
public final class ConnectorSchema
        extends AbstractSchema
{
    private final Connector connector;
    private final String exposedName;
    private final String sourceName;
    private final ConcurrentMap<String, ConnectorTable> tables = new ConcurrentHashMap<>();
    private volatile List<String> tableNames;
    private final Lookup<Table> lookup = new IgnoreCaseLookup<>()
    {
        @Override
        public Table get(String name)
        {
            return table(name).orElse(null);
        }

        @Override
        public Named<Table> getIgnoreCase(String name)
        {
            return table(name).map(table -> new Named<Table>(table.metadata().name(), table)).orElse(null);
        }

        @Override
        public Set<String> getNames(LikePattern pattern)
        {
            Set<String> names = new LinkedHashSet<>();
            for (String table : tableNames()) {
                if (pattern.matcher().apply(table)) {
                    names.add(table);
                }
            }
            return names;
        }
    };

    ConnectorSchema(Connector connector, String exposedName, String sourceName)
    {
        this.connector = requireNonNull(connector, "connector is null");
        this.exposedName = requireNonNull(exposedName, "exposedName is null");
        this.sourceName = requireNonNull(sourceName, "sourceName is null");
    }

    /** The source the schema belongs to. */
    Connector connector()
    {
        return connector;
    }

    /** The name clients use: the source's name in lower case. */
    public String exposedName()
    {
        return exposedName;
    }

    @Override
    public Lookup<Table> tables()
    {
        return lookup;
    }

    /** The source's table names, as it spells them. */
    public List<String> tableNames()
    {
        List<String> names = tableNames;
        if (names == null) {
            names = List.copyOf(connector.metadata().listTables(sourceName));
            tableNames = names;
        }
        return names;
    }

    /**
     * The table of that name: the exact spelling first, else the only table whose name matches
     * ignoring case (unquoted names arrive folded to lower case).
     */
    public Optional<ConnectorTable> table(String name)
    {
        ConnectorTable table = tables.get(name);
        if (table != null) {
            return Optional.of(table);
        }
        Optional<TableMetadata> metadata = connector.metadata().getTable(sourceName, name);
        if (metadata.isEmpty()) {
            List<String> matches = tableNames().stream()
                    .filter(candidate -> !candidate.equals(name) && candidate.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .toList();
            if (matches.size() != 1) {
                return Optional.empty();
            }
            metadata = connector.metadata().getTable(sourceName, matches.get(0));
        }
        return metadata.map(found -> tables.computeIfAbsent(name, key -> new ConnectorTable(connector, exposedName, found)));
    }
}
