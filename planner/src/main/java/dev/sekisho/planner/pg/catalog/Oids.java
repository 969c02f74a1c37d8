package dev.sekisho.planner.pg.catalog;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Object identifiers for the sources' schemas, tables, indexes and constraints: derived from the
 * object's kind and qualified name (64-bit FNV-1a, folded into PostgreSQL's range for user objects,
 * from 16384 on), so that they are the same in every table, session and catalog generation. Names
 * are assigned in sorted order and a collision moves the later name on, so OIDs only shift if two
 * names of one catalog collide.
 */
final class Oids
{
    static final long FIRST_USER_OID = 16384;
    private static final long RANGE = Integer.MAX_VALUE - FIRST_USER_OID;

    /** The owner of every object: PostgreSQL's bootstrap superuser OID. */
    static final long OWNER_OID = 10;
    static final long PG_CATALOG_NAMESPACE = 11;
    static final long PUBLIC_NAMESPACE = 2200;
    static final long INFORMATION_SCHEMA_NAMESPACE = 13000;
    static final long DATABASE_OID = 16384 - 1;
    static final long BTREE_AM = 403;
    static final long HEAP_AM = 2;

    private Oids() {}

    /** A stable OID for a key such as {@code table:public.orders}. */
    static long of(String key)
    {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return FIRST_USER_OID + Math.floorMod(hash, RANGE);
    }

    /** OIDs for many keys at once, distinct from each other and from {@code taken}. */
    static Map<String, Long> assign(List<String> keys, Set<Long> taken)
    {
        Map<String, Long> oids = new TreeMap<>();
        Set<Long> used = new HashSet<>(taken);
        for (String key : new java.util.TreeSet<>(keys)) {
            long oid = of(key);
            for (int attempt = 1; used.contains(oid); attempt++) {
                oid = of(key + "#" + attempt);
            }
            used.add(oid);
            oids.put(key, oid);
        }
        return oids;
    }
}
