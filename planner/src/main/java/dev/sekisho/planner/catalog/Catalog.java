package dev.sekisho.planner.catalog;

import dev.sekisho.planner.pg.catalog.CatalogSource;
import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.pg.catalog.Descriptions;
import dev.sekisho.planner.pg.catalog.PgCatalog;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.TableMetadata;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One generation of the federated catalog: each connector's schemas as top-level schemas, named in
 * lower case, beside the {@code pg_catalog} and {@code information_schema} emulation. Immutable but
 * for the lazily loaded tables inside each schema; the planner's refresh replaces the whole catalog.
 */
public final class Catalog
{
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final long version;
    private final CalciteSchema rootSchema;
    private final Map<String, ConnectorSchema> schemas;
    private final List<Connector> connectors;
    private final PgCatalog pgCatalog;
    private final long localJoinMaxRows;
    private final List<ReplicatedTable> replicatedTables;
    private final List<String> unanswered;

    /**
     * @param version the generation, part of every plan-cache key
     * @param views what a statement's session may see of the sources in the catalog emulation
     * @throws IllegalArgumentException if two connectors expose the same schema name
     */
    public Catalog(Collection<Connector> connectors, long version, CatalogView.Provider views)
    {
        this(connectors, version, views, Long.MAX_VALUE, List.of(), () -> Descriptions.NONE);
    }

    /** @param descriptions the data dictionary as it is now (descriptions of tables and columns for pg_description) */
    public Catalog(Collection<Connector> connectors, long version, CatalogView.Provider views, Supplier<Descriptions> descriptions)
    {
        this(connectors, version, views, Long.MAX_VALUE, List.of(), descriptions);
    }

    /** Without a data dictionary. */
    public Catalog(Collection<Connector> connectors, long version, CatalogView.Provider views, long localJoinMaxRows,
            List<ReplicatedTable> replicatedTables)
    {
        this(connectors, version, views, localJoinMaxRows, replicatedTables, () -> Descriptions.NONE);
    }

    /**
     * @param version the generation, part of every plan-cache key
     * @param views what a statement's session may see of the sources in the catalog emulation
     * @param localJoinMaxRows the most rows a join the gateway runs over these sources may hold in memory ({@link LocalJoins})
     * @param replicatedTables the tables that also exist as a warehouse copy, which routing may read instead
     * @param descriptions the data dictionary as it is now (descriptions of tables and columns for pg_description)
     * @throws IllegalArgumentException if two connectors expose the same schema name
     */
    public Catalog(Collection<Connector> connectors, long version, CatalogView.Provider views, long localJoinMaxRows,
            List<ReplicatedTable> replicatedTables, Supplier<Descriptions> descriptions)
    {
        this.replicatedTables = List.copyOf(replicatedTables);
        this.version = version;
        this.localJoinMaxRows = localJoinMaxRows;
        this.connectors = connectors.stream().sorted(Comparator.comparing(Connector::name)).toList();
        this.rootSchema = CalciteSchema.createRootSchema(false, false);
        Map<String, ConnectorSchema> byName = new LinkedHashMap<>();
        List<String> unanswered = new ArrayList<>();
        for (Connector connector : this.connectors) {
            List<String> listed;
            try {
                listed = connector.metadata().listSchemas();
            }
            catch (QueryException e) {
                // one source down must not stop the others: it joins the catalog when a later generation reaches it
                log.warn("source {} did not list its schemas ({}): its tables are missing until it answers", connector.name(), e.getMessage());
                unanswered.add(connector.name());
                continue;
            }
            for (String schema : listed) {
                String exposed = schema.toLowerCase(Locale.ROOT);
                ConnectorSchema existing = byName.get(exposed);
                if (existing != null) {
                    throw new IllegalArgumentException("schema \"%s\" is exposed by both source \"%s\" and source \"%s\"; rename or exclude one of them"
                            .formatted(exposed, existing.connector().name(), connector.name()));
                }
                ConnectorSchema connectorSchema = new ConnectorSchema(connector, exposed, schema);
                byName.put(exposed, connectorSchema);
                rootSchema.add(exposed, connectorSchema);
            }
        }
        this.schemas = Map.copyOf(byName);
        this.unanswered = List.copyOf(unanswered);
        addPostgresTypeNames(rootSchema);
        this.pgCatalog = new PgCatalog(PgCatalog.DEFAULT_DATABASE, catalogSource(), views, descriptions);
        pgCatalog.register(rootSchema.plus());
    }

    /** The sources that did not list their schemas when this generation was built (they were down). */
    public List<String> unansweredSources()
    {
        return unanswered;
    }

    /** The sources' schemas and tables for the catalog emulation. */
    private CatalogSource catalogSource()
    {
        return new CatalogSource()
        {
            @Override
            public List<String> schemas()
            {
                return schemas.keySet().stream().sorted().toList();
            }

            @Override
            public List<TableMetadata> tables(String schema)
            {
                ConnectorSchema connectorSchema = schemas.get(schema);
                if (connectorSchema == null) {
                    return List.of();
                }
                return connectorSchema.tableNames().stream()
                        .map(name -> connectorSchema.table(name).map(ConnectorTable::metadata))
                        .flatMap(Optional::stream)
                        .toList();
            }
        };
    }

    /** The most rows a join the gateway runs over two sources may hold, for {@link LocalJoins}. */
    public long localJoinMaxRows()
    {
        return localJoinMaxRows;
    }

    /** The tables that also exist as a warehouse copy (configuration, {@code replicated_tables}). */
    public List<ReplicatedTable> replicatedTables()
    {
        return replicatedTables;
    }

    /** The pg_catalog and information_schema emulation of this generation. */
    public PgCatalog pgCatalog()
    {
        return pgCatalog;
    }

    /** PostgreSQL's type names that Calcite does not know, usable in casts ({@code x::text}). */
    private static void addPostgresTypeNames(CalciteSchema root)
    {
        type(root, "text", factory -> factory.createSqlType(SqlTypeName.VARCHAR));
        type(root, "json", factory -> factory.createSqlType(SqlTypeName.VARCHAR));
        type(root, "jsonb", factory -> factory.createSqlType(SqlTypeName.VARCHAR));
        type(root, "int2", factory -> factory.createSqlType(SqlTypeName.SMALLINT));
        type(root, "int4", factory -> factory.createSqlType(SqlTypeName.INTEGER));
        type(root, "int8", factory -> factory.createSqlType(SqlTypeName.BIGINT));
        type(root, "float4", factory -> factory.createSqlType(SqlTypeName.REAL));
        type(root, "float8", factory -> factory.createSqlType(SqlTypeName.DOUBLE));
        type(root, "bool", factory -> factory.createSqlType(SqlTypeName.BOOLEAN));
        type(root, "bpchar", factory -> factory.createSqlType(SqlTypeName.CHAR, 1));
        type(root, "bytea", factory -> factory.createSqlType(SqlTypeName.VARBINARY));
        type(root, "timestamptz", factory -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6));
    }

    private static void type(CalciteSchema root, String name, RelProtoDataType type)
    {
        root.add(name, type);
        root.add(name.toUpperCase(Locale.ROOT), type);
    }

    /** The generation: a new catalog has a higher one. */
    public long version()
    {
        return version;
    }

    /** The sources' schemas, {@code pg_catalog}, {@code information_schema} and PostgreSQL's type names. */
    public CalciteSchema rootSchema()
    {
        return rootSchema;
    }

    /** The connectors, sorted by name. */
    public List<Connector> connectors()
    {
        return connectors;
    }

    /** The sources' schema of that exposed (lower-case) name. */
    public Optional<ConnectorSchema> schema(String exposedName)
    {
        return Optional.ofNullable(schemas.get(requireNonNull(exposedName, "exposedName is null")));
    }

    /** Every source's schemas. */
    public Collection<ConnectorSchema> schemas()
    {
        return schemas.values();
    }
}
