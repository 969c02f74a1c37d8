package dev.sekisho.planner.pg.catalog;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The objects behind OIDs, for the functions that take an OID ({@code pg_get_indexdef},
 * {@code pg_table_is_visible}, {@code ::regclass} output...): resolved only through the snapshot of
 * the statement running on this thread ({@link PgCatalog#bind}), so that an object the session may
 * not see behaves like one that does not exist. Outside a statement nothing resolves.
 */
final class PgObjects
{
    private static final ThreadLocal<Supplier<PgCatalogData>> CURRENT = new ThreadLocal<>();

    private PgObjects() {}

    /** Makes {@code data} the snapshot of this thread until the returned binding is closed. */
    static PgCatalog.Binding bind(Supplier<PgCatalogData> data)
    {
        Supplier<PgCatalogData> previous = CURRENT.get();
        CURRENT.set(data);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        };
    }

    private static Optional<PgCatalogData> current()
    {
        Supplier<PgCatalogData> supplier = CURRENT.get();
        return supplier == null ? Optional.empty() : Optional.ofNullable(supplier.get());
    }

    static Optional<PgCatalogData.Relation> relation(long oid)
    {
        return current().flatMap(data -> data.relation(oid));
    }

    /** Whether the snapshot shows a relation of this name in this schema. */
    static boolean relationNamed(String schema, String name)
    {
        return current().map(data -> data.relations().stream()
                .anyMatch(relation -> relation.name().equals(name) && relation.namespace().name().equals(schema))).orElse(false);
    }

    /** The index of this OID (primary key or secondary) and its table. */
    static Optional<PgCatalogData.TableIndex> index(long indexOid)
    {
        return current().flatMap(data -> data.index(indexOid));
    }

    /** The index behind the constraint of this OID (primary key or unique) and its table. */
    static Optional<PgCatalogData.TableIndex> constraint(long constraintOid)
    {
        return current().flatMap(data -> data.constraint(constraintOid));
    }

    /** A type of the sources (enum, domain, or an array of one) the running statement's snapshot shows. */
    static Optional<PgTypeInfo> type(long oid)
    {
        return current().flatMap(data -> data.type(oid));
    }

    /** The source-defined type (enum or domain, or the array type over one) of this OID the running statement's snapshot shows. */
    static Optional<PgCatalogData.UserType> userType(long oid)
    {
        return current().flatMap(data -> data.userTypes().stream()
                .filter(type -> type.info().oid() == oid || type.arrayInfo().oid() == oid).findFirst());
    }

    static Optional<String> role(long oid)
    {
        if (oid == Oids.OWNER_OID) {
            return Optional.of(PgCatalog.OWNER);
        }
        return current().map(PgCatalogData::user).filter(user -> PgCatalog.roleOid(user) == oid);
    }
}
