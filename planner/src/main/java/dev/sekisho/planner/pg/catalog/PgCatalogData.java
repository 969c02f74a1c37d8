package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.TableMetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What one statement sees of the catalog: namespaces, relations with their attributes, indexes
 * (primary keys and the sources' secondary indexes) and constraints, all with stable OIDs, filtered
 * through the session's {@link CatalogView}.
 * <p>
 * Index names are the source's: MySQL names indexes per table, so two tables of one schema may both
 * have an index called {@code idx_created}, which PostgreSQL would not allow. They keep their names
 * (what the user knows from the source, and what psql and ODBC show next to the table) and differ
 * by OID, which is derived from schema, table and index name.
 */
final class PgCatalogData
{
    record Namespace(long oid, String name) {}

    /**
     * @param kind {@code pg_class.relkind}
     * @param attributes the visible columns
     * @param indexes the primary key first (if the source reports one), then the secondary indexes; only those whose columns are all visible
     * @param description the source's comment on the table, or null
     */
    record Relation(long oid, Namespace namespace, String name, char kind, List<Attribute> attributes, List<Index> indexes, long rowEstimate,
            String description)
    {
        Relation
        {
            indexes = List.copyOf(indexes);
        }

        String qualifiedName()
        {
            return namespace.name() + "." + name;
        }

        /** The primary key, or null if the source reports none or the session may not see all its columns. */
        Index primaryKey()
        {
            return indexes.stream().filter(Index::primary).findFirst().orElse(null);
        }
    }

    /**
     * @param number {@code attnum}: the column's position in the source table (stable under filtering)
     * @param description the source's comment on the column, or null
     */
    record Attribute(String name, int number, int typeOid, int typmod, boolean notNull, String description) {}

    /**
     * An index: a primary key (with its constraint of type {@code p}), a unique secondary index (with
     * a constraint of type {@code u}, as PostgreSQL has for {@code UNIQUE}) or a plain one.
     *
     * @param indexOid the OID of the index (a {@code pg_class} row of kind {@code i})
     * @param constraintOid the OID of the constraint ({@code pg_constraint}); 0 for an index that is not unique
     * @param keys the key columns' attribute numbers, in key order
     */
    record Index(long indexOid, long constraintOid, String name, List<Integer> keys, boolean unique, boolean primary)
    {
        Index
        {
            keys = List.copyOf(keys);
        }

        boolean hasConstraint()
        {
            return constraintOid != 0;
        }
    }

    /** An index and the table it belongs to. */
    record TableIndex(Relation table, Index index) {}

    /**
     * A type a source defines (an enum or a domain) and the array type over it, as {@code pg_type}
     * shows them.
     *
     * @param type the enum, or a domain over its base type
     * @param info the type's {@code pg_type} essentials
     * @param arrayInfo those of the array type over it
     * @param namespace the OID of its schema
     */
    record UserType(ColumnType type, PgTypeInfo info, PgTypeInfo arrayInfo, long namespace)
    {
        ColumnType.NamedType named()
        {
            return type.namedType().orElseThrow();
        }

        boolean isEnum()
        {
            return type.kind() == ColumnType.Kind.ENUM;
        }
    }

    private final String database;
    private final String user;
    private final List<Namespace> namespaces;
    private final List<Relation> relations;
    private final List<UserType> userTypes;
    private final Map<Long, PgTypeInfo> userTypeInfos = new HashMap<>();
    private final Map<Long, Relation> byOid = new HashMap<>();
    private final Map<Long, TableIndex> byIndexOid = new HashMap<>();
    private final Map<Long, TableIndex> byConstraintOid = new HashMap<>();

    private PgCatalogData(String database, String user, List<Namespace> namespaces, List<Relation> relations, List<UserType> userTypes)
    {
        this.database = requireNonNull(database, "database is null");
        this.user = requireNonNull(user, "user is null");
        this.namespaces = List.copyOf(namespaces);
        this.relations = List.copyOf(relations);
        this.userTypes = List.copyOf(userTypes);
        for (UserType type : userTypes) {
            userTypeInfos.put((long) type.info().oid(), type.info());
            userTypeInfos.put((long) type.arrayInfo().oid(), type.arrayInfo());
        }
        for (Relation relation : relations) {
            byOid.put(relation.oid(), relation);
            for (Index index : relation.indexes()) {
                byIndexOid.put(index.indexOid(), new TableIndex(relation, index));
                if (index.hasConstraint()) {
                    byConstraintOid.put(index.constraintOid(), new TableIndex(relation, index));
                }
            }
        }
    }

    /** The relation of this OID, if this snapshot shows it. */
    Optional<Relation> relation(long oid)
    {
        return Optional.ofNullable(byOid.get(oid));
    }

    /** A built-in type, or a type of the sources this snapshot shows. */
    Optional<PgTypeInfo> type(long oid)
    {
        return PgTypeInfo.byOid(oid).or(() -> Optional.ofNullable(userTypeInfos.get(oid)));
    }

    /** The sources' enums and domains this snapshot shows: those of the columns the session may see. */
    List<UserType> userTypes()
    {
        return userTypes;
    }

    /** The index of this OID and its table, if this snapshot shows it. */
    Optional<TableIndex> index(long indexOid)
    {
        return Optional.ofNullable(byIndexOid.get(indexOid));
    }

    /** The index behind the constraint of this OID (primary key or unique) and its table, if this snapshot shows it. */
    Optional<TableIndex> constraint(long constraintOid)
    {
        return Optional.ofNullable(byConstraintOid.get(constraintOid));
    }

    static PgCatalogData build(String database, String user, CatalogSource source, CatalogView view, Descriptions descriptions, List<PgRelation> systemRelations)
    {
        List<Namespace> namespaces = new ArrayList<>();
        Namespace pgCatalog = new Namespace(Oids.PG_CATALOG_NAMESPACE, PgCatalog.PG_CATALOG);
        Namespace informationSchema = new Namespace(Oids.INFORMATION_SCHEMA_NAMESPACE, PgCatalog.INFORMATION_SCHEMA);
        namespaces.add(pgCatalog);
        namespaces.add(informationSchema);
        List<Relation> relations = new ArrayList<>();
        for (PgRelation system : systemRelations) {
            List<Attribute> attributes = new ArrayList<>();
            for (int i = 0; i < system.columns().size(); i++) {
                PgColumn column = system.columns().get(i);
                attributes.add(new Attribute(column.name(), i + 1, column.pgType(), -1, false, null));
            }
            Namespace namespace = system.schema().equals(PgCatalog.PG_CATALOG) ? pgCatalog : informationSchema;
            relations.add(new Relation(system.oid(), namespace, system.name(), system.kind(), attributes, List.of(), -1, null));
        }

        // OIDs are assigned over everything the sources have, so that what a session may see never shifts them
        List<String> allSchemas = source.schemas().stream().sorted().toList();
        List<String> schemaKeys = allSchemas.stream().filter(name -> !name.equals("public")).map(name -> "namespace:" + name).toList();
        Set<Long> taken = new HashSet<>(List.of(Oids.PG_CATALOG_NAMESPACE, Oids.PUBLIC_NAMESPACE, Oids.INFORMATION_SCHEMA_NAMESPACE));
        // the sources' own types have OIDs derived from their names alone (RowDescription needs them
        // without a catalog at hand); everything else steps around them
        for (String schema : allSchemas) {
            for (TableMetadata table : source.tables(schema)) {
                for (ColumnMetadata column : table.columns()) {
                    namedType(column.type()).ifPresent(named -> {
                        taken.add((long) PgTypeInfo.namedTypeOid(named));
                        taken.add((long) PgTypeInfo.namedArrayOid(named));
                    });
                }
            }
        }
        Map<String, Long> namespaceOids = Oids.assign(schemaKeys, taken);
        List<TableMetadata> tables = new ArrayList<>();
        List<String> tableSchemas = new ArrayList<>();
        List<String> tableKeys = new ArrayList<>();
        Map<String, Namespace> namespaceOfSchema = new java.util.HashMap<>();
        for (String schema : allSchemas) {
            boolean schemaVisible = view.canSeeSchema(schema);
            if (schemaVisible) {
                Namespace namespace = new Namespace(schema.equals("public") ? Oids.PUBLIC_NAMESPACE : namespaceOids.get("namespace:" + schema), schema);
                namespaces.add(namespace);
                namespaceOfSchema.put(schema, namespace);
            }
            for (TableMetadata table : source.tables(schema)) {
                String qualified = schema + "." + table.name();
                tableKeys.add("table:" + qualified);
                tableKeys.add("index:" + qualified);
                tableKeys.add("constraint:" + qualified);
                for (IndexMetadata index : table.indexes()) {
                    tableKeys.add(secondaryIndexKey(qualified, index));
                    if (index.unique()) {
                        tableKeys.add(uniqueConstraintKey(qualified, index));
                    }
                }
                if (schemaVisible && view.canSeeTable(schema, table.name())) {
                    tables.add(table);
                    tableSchemas.add(schema);
                }
            }
        }
        taken.addAll(namespaceOids.values());
        Map<String, Long> oids = Oids.assign(tableKeys, taken);
        Map<String, UserType> userTypes = new java.util.TreeMap<>();
        for (int t = 0; t < tables.size(); t++) {
            TableMetadata table = tables.get(t);
            String schema = tableSchemas.get(t);
            Namespace namespace = namespaceOfSchema.get(schema);
            String qualified = schema + "." + table.name();
            List<Attribute> attributes = new ArrayList<>();
            List<String> columnNames = new ArrayList<>();
            for (int i = 0; i < table.columns().size(); i++) {
                ColumnMetadata column = table.columns().get(i);
                columnNames.add(column.name());
                if (view.canSeeColumn(schema, table.name(), column.name())) {
                    attributes.add(new Attribute(column.name(), i + 1, PgTypeInfo.attributeOidOf(column.type()), PgTypeInfo.typmodOf(column.type()),
                            !column.nullable(), columnDescription(schema, table.name(), column, view, descriptions)));
                    namedType(column.type()).ifPresent(named -> userTypes.computeIfAbsent(named.schema() + "." + named.name(),
                            key -> userType(column.type().kind() == ColumnType.Kind.ARRAY ? column.type().elementType().orElseThrow() : column.type(),
                                    named.schema().equals("public") ? Oids.PUBLIC_NAMESPACE
                                            : namespaceOids.getOrDefault("namespace:" + named.schema(), Oids.of("namespace:" + named.schema())))));
                }
            }
            // an index on a column the session may not see is not shown at all
            List<Index> indexes = new ArrayList<>();
            if (!table.primaryKey().isEmpty() && table.kind() == TableMetadata.TableKind.TABLE) {
                List<Integer> keys = visibleKeys(table.primaryKey(), columnNames, attributes);
                if (keys != null) {
                    indexes.add(new Index(oids.get("index:" + qualified), oids.get("constraint:" + qualified), table.name() + "_pkey", keys, true, true));
                }
            }
            if (table.kind() != TableMetadata.TableKind.VIEW) {
                for (IndexMetadata index : table.indexes()) {
                    List<Integer> keys = visibleKeys(index.columns(), columnNames, attributes);
                    if (keys != null) {
                        long constraint = index.unique() ? oids.get(uniqueConstraintKey(qualified, index)) : 0;
                        indexes.add(new Index(oids.get(secondaryIndexKey(qualified, index)), constraint, index.name(), keys, index.unique(), false));
                    }
                }
            }
            relations.add(new Relation(oids.get("table:" + qualified), namespace, table.name(), relationKind(table.kind()), attributes, indexes,
                    table.rowCountEstimate().orElse(-1), descriptions.table(schema, table.name()).or(table::comment).orElse(null)));
        }
        return new PgCatalogData(database, user, namespaces, relations, List.copyOf(userTypes.values()));
    }

    /** The dictionary's description (else the source's comment), and for a column masked for this reader, how. */
    private static String columnDescription(String schema, String table, ColumnMetadata column, CatalogView view, Descriptions descriptions)
    {
        Optional<String> description = descriptions.column(schema, table, column.name()).or(column::comment);
        Optional<String> mask = view.maskOf(schema, table, column.name());
        if (mask.isEmpty()) {
            return description.orElse(null);
        }
        String marker = "[masked for you: " + mask.get() + "]";
        return description.map(text -> text + " " + marker).orElse(marker);
    }

    private static char relationKind(TableMetadata.TableKind kind)
    {
        return switch (kind) {
            case TABLE -> 'r';
            case VIEW -> 'v';
            case MATERIALIZED_VIEW -> 'm';
        };
    }

    /** The enum or domain a column's type is, or is an array of. */
    private static Optional<ColumnType.NamedType> namedType(ColumnType type)
    {
        return type.kind() == ColumnType.Kind.ARRAY ? type.elementType().orElseThrow().namedType() : type.namedType();
    }

    private static UserType userType(ColumnType type, long namespace)
    {
        ColumnType.NamedType named = type.namedType().orElseThrow();
        int oid = PgTypeInfo.namedTypeOid(named);
        int arrayOid = PgTypeInfo.namedArrayOid(named);
        PgTypeInfo info;
        if (type.kind() == ColumnType.Kind.ENUM) {
            info = new PgTypeInfo(oid, named.name(), 4, 'E', 0, arrayOid, named.name());
        }
        else {
            PgTypeInfo base = PgTypeInfo.byOid(PgTypeInfo.oidOf(type)).orElseThrow();
            info = new PgTypeInfo(oid, named.name(), base.length(), base.category(), 0, arrayOid, named.name());
        }
        return new UserType(type, info, new PgTypeInfo(arrayOid, "_" + named.name(), -1, 'A', oid, 0, named.name() + "[]"), namespace);
    }

    private static String secondaryIndexKey(String qualifiedTable, IndexMetadata index)
    {
        return "secondary-index:" + qualifiedTable + "." + index.name();
    }

    private static String uniqueConstraintKey(String qualifiedTable, IndexMetadata index)
    {
        return "unique-constraint:" + qualifiedTable + "." + index.name();
    }

    /** The attribute numbers of these columns, or null if one is unknown or not visible. */
    private static List<Integer> visibleKeys(List<String> columns, List<String> columnNames, List<Attribute> attributes)
    {
        List<Integer> keys = columns.stream().map(column -> columnNames.indexOf(column) + 1).toList();
        boolean visible = keys.stream().allMatch(key -> key > 0 && attributes.stream().anyMatch(attribute -> attribute.number() == key));
        return visible ? keys : null;
    }

    String database()
    {
        return database;
    }

    String user()
    {
        return user;
    }

    List<Namespace> namespaces()
    {
        return namespaces;
    }

    List<Relation> relations()
    {
        return relations;
    }

    /** The sources' relations (not the emulated catalog's own). */
    List<Relation> userRelations()
    {
        return relations.stream().filter(relation -> relation.namespace().oid() != Oids.PG_CATALOG_NAMESPACE
                && relation.namespace().oid() != Oids.INFORMATION_SCHEMA_NAMESPACE).toList();
    }
}
