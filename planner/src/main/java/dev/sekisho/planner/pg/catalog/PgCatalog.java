package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.pg.catalog.PgCatalogData.Attribute;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Namespace;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Relation;
import dev.sekisho.planner.spi.ExecutionContext;
import org.apache.calcite.DataContext;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code pg_catalog} and {@code information_schema} emulation: virtual schemas whose relations
 * are computed, per statement, from the sources' metadata ({@link CatalogSource}) as the session's
 * {@link CatalogView} lets it see them, plus PostgreSQL 15's static content (types, access methods,
 * settings). Register it next to the sources' schemas with {@link #register(SchemaPlus)}.
 */
public final class PgCatalog
{
    public static final String PG_CATALOG = "pg_catalog";
    public static final String INFORMATION_SCHEMA = "information_schema";
    /** The role that owns every object. */
    static final String OWNER = "sekisho";
    /** Default name of the one database Sekisho shows. */
    public static final String DEFAULT_DATABASE = "sekisho";
    /** The key under which the planner's local execution keeps the {@link ExecutionContext}. */
    private static final String EXECUTION_CONTEXT = "sekisho.executionContext";

    private final String database;
    private final CatalogSource source;
    private final CatalogView.Provider views;
    private final Supplier<Descriptions> descriptions;
    private final Map<String, PgRelation> pgCatalog = new LinkedHashMap<>();
    private final Map<String, PgRelation> informationSchema = new LinkedHashMap<>();
    private final Map<DataContext, PgCatalogData> snapshots = Collections.synchronizedMap(new WeakHashMap<>());

    public PgCatalog(String database, CatalogSource source, CatalogView.Provider views)
    {
        this(database, source, views, () -> Descriptions.NONE);
    }

    /** @param descriptions the data dictionary as it is now, asked once per statement */
    public PgCatalog(String database, CatalogSource source, CatalogView.Provider views, Supplier<Descriptions> descriptions)
    {
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
        this.database = requireNonNull(database, "database is null");
        this.source = requireNonNull(source, "source is null");
        this.views = requireNonNull(views, "views is null");
        PgCatalogRelations.define(this);
        InformationSchemaRelations.define(this);
    }

    /** Adds the schemas {@code pg_catalog} and {@code information_schema} under the root schema. */
    public void register(SchemaPlus root)
    {
        root.add(PG_CATALOG, schema(pgCatalog));
        root.add(INFORMATION_SCHEMA, schema(informationSchema));
    }

    /** Whether every catalog column of this name is boolean (and there is one): {@code 't'} compared with it is a boolean. */
    public boolean isBooleanColumn(String column)
    {
        boolean found = false;
        for (PgRelation relation : relations()) {
            for (PgColumn candidate : relation.columns()) {
                if (candidate.name().equals(column)) {
                    if (candidate.pgType() != PgTypeInfo.BOOL) {
                        return false;
                    }
                    found = true;
                }
            }
        }
        return found;
    }

    /** Whether a source exposes a schema of this name (lower case). */
    public boolean hasSchema(String schema)
    {
        return source.schemas().contains(schema);
    }

    public String database()
    {
        return database;
    }

    /** All emulated relations, {@code pg_catalog}'s first. */
    public List<PgRelation> relations()
    {
        List<PgRelation> all = new ArrayList<>(pgCatalog.values());
        all.addAll(informationSchema.values());
        return all;
    }

    /** The OID of a relation by qualified or unqualified name, as {@code 'pg_class'::regclass} resolves it. */
    public Optional<Long> relationOid(String name, List<String> searchPath)
    {
        return relationOid(name, searchPath, (schema, table) -> true);
    }

    /**
     * The OID of a relation by qualified or unqualified name among the sources' tables that
     * {@code visible} (schema, table) admits and the emulation's own; a hidden table is as if it did not exist.
     */
    public Optional<Long> relationOid(String name, List<String> searchPath, BiPredicate<String, String> visible)
    {
        String[] parts = name.replace("\"", "").split("\\.");
        String relation = parts[parts.length - 1];
        List<String> schemas = new ArrayList<>();
        if (parts.length > 1) {
            schemas.add(parts[parts.length - 2]);
        }
        else {
            schemas.add(PG_CATALOG);
            schemas.addAll(searchPath);
        }
        for (String schema : schemas) {
            PgRelation system = schema.equals(PG_CATALOG) ? pgCatalog.get(relation) : schema.equals(INFORMATION_SCHEMA) ? informationSchema.get(relation) : null;
            if (system != null) {
                return Optional.of(system.oid());
            }
            if (!schema.equals(PG_CATALOG) && !schema.equals(INFORMATION_SCHEMA) && source.schemas().contains(schema)
                    && source.tables(schema).stream().anyMatch(table -> table.name().equals(relation)) && visible.test(schema, relation)) {
                return Optional.of(Oids.of("table:" + schema + "." + relation));
            }
        }
        return Optional.empty();
    }

    void add(String schema, String name, long oid, char kind, String columns, Function<PgCatalogData, List<Object[]>> rows)
    {
        PgRelation relation = new PgRelation(this, schema, name, oid, kind, PgColumn.parse(columns), rows);
        (schema.equals(PG_CATALOG) ? pgCatalog : informationSchema).put(name, relation);
    }

    PgCatalogData data(DataContext root)
    {
        PgCatalogData data = snapshots.get(root);
        if (data == null) {
            ExecutionContext context = root == null ? null : (ExecutionContext) root.get(EXECUTION_CONTEXT);
            String user = context == null ? OWNER : context.user();
            CatalogView view = context == null ? CatalogView.ALL : views.view(context);
            data = PgCatalogData.build(database, user, source, view, descriptions.get(), relations());
            if (root != null) {
                snapshots.put(root, data);
            }
        }
        return data;
    }

    /**
     * Makes the snapshot of the statement whose local execution uses {@code root} the one that the
     * OID functions ({@code pg_get_indexdef}, {@code ::regclass} output...) resolve through on this
     * thread, and its execution context the one whose cancel {@code pg_sleep} notices ({@link PgExecution}),
     * until the binding is closed. Bind around everything that may evaluate them.
     */
    public Binding bind(DataContext root)
    {
        PgCatalogData[] data = new PgCatalogData[1];
        Binding objects = PgObjects.bind(() -> {
            if (data[0] == null) {
                data[0] = data(root);
            }
            return data[0];
        });
        Binding execution = PgExecution.bind(root == null ? null : (ExecutionContext) root.get(EXECUTION_CONTEXT));
        return () -> {
            try {
                execution.close();
            }
            finally {
                objects.close();
            }
        };
    }

    /** A thread's binding to a statement's snapshot; closing restores the previous one. */
    @FunctionalInterface
    public interface Binding
            extends AutoCloseable
    {
        @Override
        void close();
    }

    /** The OID of a role: the owner's is 10, any other user's is derived from the name. */
    static long roleOid(String user)
    {
        return user.equals(OWNER) ? Oids.OWNER_OID : Oids.of("role:" + user);
    }

    private static AbstractSchema schema(Map<String, PgRelation> relations)
    {
        Map<String, Table> tables = Collections.unmodifiableMap(new LinkedHashMap<>(relations));
        return new AbstractSchema()
        {
            @Override
            protected Map<String, Table> getTableMap()
            {
                return tables;
            }
        };
    }

    static Object[] row(Object... values)
    {
        return values;
    }

    static Namespace namespaceOf(PgCatalogData data, Relation relation)
    {
        return relation.namespace();
    }

    static String attributeList(Relation relation, List<Integer> numbers)
    {
        List<String> names = new ArrayList<>();
        for (int number : numbers) {
            relation.attributes().stream().filter(attribute -> attribute.number() == number).findFirst()
                    .map(Attribute::name).map(PgCatalogFunctions::quote_ident).ifPresent(names::add);
        }
        return String.join(", ", names);
    }
}
