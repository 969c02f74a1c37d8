package dev.sekisho.planner.catalog.pg;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects behind OIDs, for the functions that take an OID ({@code pg_get_indexdef},
 * {@code pg_table_is_visible}, {@code ::regclass} output...). OIDs are derived from names, so one
 * registry serves every catalog generation; it holds only what some session's snapshot listed.
 */
final class PgObjects
{
    private static final Map<Long, PgCatalogData.Relation> RELATIONS = new ConcurrentHashMap<>();
    private static final Map<Long, PgCatalogData.Relation> INDEXES = new ConcurrentHashMap<>();
    private static final Map<Long, PgCatalogData.Relation> CONSTRAINTS = new ConcurrentHashMap<>();
    private static final Map<Long, String> ROLES = new ConcurrentHashMap<>(Map.of(Oids.OWNER_OID, PgCatalog.OWNER));

    private PgObjects() {}

    static void register(PgCatalogData data)
    {
        for (PgCatalogData.Relation relation : data.relations()) {
            RELATIONS.put(relation.oid(), relation);
            if (relation.primaryKey() != null) {
                INDEXES.put(relation.primaryKey().indexOid(), relation);
                CONSTRAINTS.put(relation.primaryKey().constraintOid(), relation);
            }
        }
        ROLES.put(PgCatalog.roleOid(data.user()), data.user());
    }

    static Optional<PgCatalogData.Relation> relation(long oid)
    {
        return Optional.ofNullable(RELATIONS.get(oid));
    }

    /** The table whose primary-key index has this OID. */
    static Optional<PgCatalogData.Relation> tableOfIndex(long indexOid)
    {
        return Optional.ofNullable(INDEXES.get(indexOid));
    }

    /** The table whose primary-key constraint has this OID. */
    static Optional<PgCatalogData.Relation> tableOfConstraint(long constraintOid)
    {
        return Optional.ofNullable(CONSTRAINTS.get(constraintOid));
    }

    static Optional<String> role(long oid)
    {
        return Optional.ofNullable(ROLES.get(oid));
    }
}
