package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.pg.catalog.PgCatalogData.Relation;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL's catalog functions as Calcite user-defined functions: each public static method is
 * one SQL function of the same name (overloads by arity and type). They answer from the catalog
 * snapshot of the statement running on this thread ({@link PgCatalog#bind}): OIDs as names
 * ({@code ::regclass}, {@code ::regtype}), object definitions ({@code pg_get_indexdef}), visibility,
 * privileges, sizes and comments. The session's functions are {@link PgSessionFunctions}; functions
 * over arrays, dates and JSON are in {@code dev.sekisho.planner.pg.functions}.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgCatalogFunctions
{
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
            "cast", "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
            "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
            "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime",
            "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
            "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when",
            "where", "window", "with");

    private PgCatalogFunctions() {}

    /** Marks a value as PostgreSQL's {@code name} type (for the result's type OID); the value is unchanged. */
    public static String pg_name(String value)
    {
        return value;
    }

    /** Marks a value as PostgreSQL's {@code text} type (an explicit cast of a catalog type to text). */
    public static String pg_text(String value)
    {
        return value;
    }

    /** Marks a value as PostgreSQL's {@code name[]} type; the value is the array's text form. */
    public static String pg_name_array(String value)
    {
        return value;
    }

    /** Marks a value as PostgreSQL's {@code oid} type. */
    public static Long pg_oid(Long value)
    {
        return value;
    }

    /** {@code 'pg_catalog.array_in'::regproc}: the procedure name without its schema. */
    public static String pg_regproc(String name)
    {
        if (name == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    /** {@code oid::regclass} as text: the relation's name, or the number for an unknown OID. */
    /** {@code oid::regclass} as text: the name, qualified unless the session's search path finds it, as PostgreSQL prints it. */
    public static String pg_regclass_out(Long oid, String searchPath)
    {
        if (oid == null) {
            return null;
        }
        return PgObjects.relation(oid).map(relation -> visible(relation, searchPath) ? quote_ident(relation.name())
                : quote_ident(relation.namespace().name()) + "." + quote_ident(relation.name())).orElse(String.valueOf(oid));
    }

    /** {@code oid::regtype} as text. */
    public static String pg_regtype_out(Long oid)
    {
        if (oid == null) {
            return null;
        }
        return PgTypeInfo.byOid(oid).or(() -> PgObjects.type(oid)).map(type -> PgTypeInfo.formatType(oid, -1)).orElse(String.valueOf(oid));
    }

    /** {@code oid::regnamespace} as text. */
    public static String pg_regnamespace_out(Long oid)
    {
        if (oid == null) {
            return null;
        }
        if (oid == Oids.PG_CATALOG_NAMESPACE) {
            return PgCatalog.PG_CATALOG;
        }
        return String.valueOf(oid);
    }

    public static String pg_get_userbyid(Long oid)
    {
        if (oid == null) {
            return null;
        }
        return PgObjects.role(oid).orElse("unknown (OID=" + oid + ")");
    }

    public static String pg_encoding_to_char(Integer encoding)
    {
        return encoding != null && encoding == 6 ? "UTF8" : encoding != null && encoding == 0 ? "SQL_ASCII" : "";
    }

    public static String format_type(Long oid, Integer typmod)
    {
        if (oid == null) {
            return null;
        }
        return PgTypeInfo.formatType(oid, typmod == null ? -1 : typmod);
    }

    public static String pg_get_expr(String expression, Long relation)
    {
        return expression;
    }

    public static String pg_get_expr(String expression, Long relation, Boolean pretty)
    {
        return expression;
    }

    public static String pg_get_indexdef(Long index)
    {
        if (index == null) {
            return null;
        }
        return PgObjects.index(index).map(found -> indexDefinition(found.table(), found.index())).orElse(null);
    }

    /** With a column number: that key column's name (0 for the whole definition, empty past the last key column). */
    public static String pg_get_indexdef(Long index, Integer column, Boolean pretty)
    {
        if (index == null) {
            return null;
        }
        if (column == null || column == 0) {
            return pg_get_indexdef(index);
        }
        return PgObjects.index(index)
                .map(found -> column >= 1 && column <= found.index().keys().size()
                        ? PgCatalog.attributeList(found.table(), List.of(found.index().keys().get(column - 1)))
                        : "")
                .orElse(null);
    }

    public static String pg_get_constraintdef(Long constraint)
    {
        if (constraint == null) {
            return null;
        }
        return PgObjects.constraint(constraint)
                .map(found -> (found.index().primary() ? "PRIMARY KEY (" : "UNIQUE (") + PgCatalog.attributeList(found.table(), found.index().keys()) + ")")
                .orElse(null);
    }

    public static String pg_get_constraintdef(Long constraint, Boolean pretty)
    {
        return pg_get_constraintdef(constraint);
    }

    /** {@code pg_table_is_visible(oid)}, with the session's search path added by the planner. */
    public static Boolean pg_table_is_visible(Long oid, String searchPath)
    {
        if (oid == null) {
            return null;
        }
        return PgObjects.relation(oid).map(relation -> visible(relation, searchPath)).orElse(false);
    }

    /**
     * Whether an unqualified name finds this relation: pg_catalog comes first (as PostgreSQL puts it
     * first unless the path names it), then the search path; a relation of the same name in an
     * earlier schema hides it.
     */
    private static boolean visible(Relation relation, String searchPath)
    {
        String schema = relation.namespace().name();
        if (schema.equals(PgCatalog.PG_CATALOG)) {
            return true;
        }
        List<String> path = List.of(searchPath.split(","));
        if (!path.contains(schema)) {
            return false;
        }
        if (PgObjects.relationNamed(PgCatalog.PG_CATALOG, relation.name())) {
            return false;
        }
        for (String earlier : path) {
            if (earlier.equals(schema)) {
                return true;
            }
            if (PgObjects.relationNamed(earlier, relation.name())) {
                return false;
            }
        }
        return true;
    }

    /** {@code pg_collation_is_visible(oid)}: the emulation's collations all live in pg_catalog, which is always searched. */
    public static Boolean pg_collation_is_visible(Long oid)
    {
        return oid == null ? null : Boolean.TRUE;
    }

    /** {@code pg_type_is_visible(oid)} with the session's search path: built-in types always, a source's type where its schema is on the path. */
    public static Boolean pg_type_is_visible(Long oid, String searchPath)
    {
        if (oid == null) {
            return null;
        }
        if (PgTypeInfo.byOid(oid).isPresent()) {
            return true;
        }
        return PgObjects.userType(oid).map(type -> List.of(searchPath.split(",")).contains(type.named().schema())).orElse(false);
    }

    public static Boolean pg_function_is_visible(Long oid)
    {
        return oid == null ? null : true;
    }

    /** {@code pg_operator_is_visible(oid)}: Sekisho's catalog has no operators of its own to hide. */
    public static Boolean pg_operator_is_visible(Object oid)
    {
        return oid == null ? null : true;
    }

    public static Boolean pg_relation_is_publishable(Long oid)
    {
        return oid == null ? null : false;
    }

    public static String pg_get_statisticsobjdef_columns(Long oid)
    {
        return null;
    }

    public static String pg_get_function_result(Long oid)
    {
        return null;
    }

    public static String pg_get_function_arguments(Long oid)
    {
        return null;
    }

    // Privileges: what a session cannot see is not in its catalog at all, so what it sees it may use.

    public static Boolean has_table_privilege(String table, String privilege)
    {
        return true;
    }

    public static Boolean has_table_privilege(String user, String table, String privilege)
    {
        return true;
    }

    public static Boolean has_table_privilege(Long table, String privilege)
    {
        return true;
    }

    public static Boolean has_schema_privilege(String schema, String privilege)
    {
        return true;
    }

    public static Boolean has_schema_privilege(String user, String schema, String privilege)
    {
        return true;
    }

    public static Boolean has_any_column_privilege(String table, String privilege)
    {
        return true;
    }

    public static Boolean has_any_column_privilege(Long table, String privilege)
    {
        return true;
    }

    public static Boolean has_any_column_privilege(String user, String table, String privilege)
    {
        return true;
    }

    public static Boolean has_database_privilege(String database, String privilege)
    {
        return true;
    }

    public static Boolean has_database_privilege(String user, String database, String privilege)
    {
        return true;
    }

    /** {@code pg_table_size(regclass)}: unknown (NULL): sources do not report storage sizes to Sekisho. */
    public static Long pg_table_size(Object relation)
    {
        return null;
    }

    /** {@code pg_relation_size(regclass)}: unknown (NULL), as {@link #pg_table_size}. */
    public static Long pg_relation_size(Object relation)
    {
        return null;
    }

    /** {@code pg_total_relation_size(regclass)}: unknown (NULL), as {@link #pg_table_size}. */
    public static Long pg_total_relation_size(Object relation)
    {
        return null;
    }

    /** {@code pg_indexes_size(regclass)}: unknown (NULL), as {@link #pg_table_size}. */
    public static Long pg_indexes_size(Object relation)
    {
        return null;
    }

    /** {@code pg_database_size(name or oid)}: unknown (NULL), as {@link #pg_table_size}. */
    public static Long pg_database_size(Object database)
    {
        return null;
    }

    /** {@code pg_size_pretty(bigint)}: bytes, kB, MB, GB or TB with PostgreSQL's thresholds (10 of the unit) and rounding. */
    public static String pg_size_pretty(Object size)
    {
        if (!(size instanceof Number number)) {
            return null;
        }
        long value = number.longValue();
        long limit = 10 * 1024;
        if (Math.abs(value) < limit) {
            return value + " bytes";
        }
        // one extra bit for rounding half away from zero, as PostgreSQL keeps
        value >>= 9;
        for (String unit : List.of("kB", "MB", "GB")) {
            if (Math.abs(value) < limit * 2 - 1) {
                return halfRounded(value) + " " + unit;
            }
            value >>= 10;
        }
        return halfRounded(value) + " TB";
    }

    private static long halfRounded(long value)
    {
        return (value + (value < 0 ? -1 : 1)) / 2;
    }

    /** {@code obj_description(oid)}: deprecated in PostgreSQL, any catalog; Sekisho's comments are on tables. */
    public static String obj_description(Long oid)
    {
        return obj_description(oid, "pg_class");
    }

    /** The source's comment on a table (catalog {@code pg_class}) the session sees. */
    public static String obj_description(Long oid, String catalog)
    {
        if (oid == null || catalog == null || !catalog.equals("pg_class")) {
            return null;
        }
        return PgObjects.relation(oid).map(Relation::description).orElse(null);
    }

    /** The source's comment on a column the session sees; the column number is {@code int2} ({@code attnum}) or {@code int4}. */
    public static String col_description(Long oid, Object column)
    {
        if (oid == null || !(column instanceof Number number)) {
            return null;
        }
        int attnum = number.intValue();
        return PgObjects.relation(oid).flatMap(relation -> relation.attributes().stream().filter(attribute -> attribute.number() == attnum).findFirst())
                .map(PgCatalogData.Attribute::description).orElse(null);
    }

    public static String shobj_description(Long oid, String catalog)
    {
        return null;
    }

    public static String quote_ident(String identifier)
    {
        if (identifier == null) {
            return null;
        }
        if (PLAIN_IDENTIFIER.matcher(identifier).matches() && !RESERVED.contains(identifier)) {
            return identifier;
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The sequence behind a serial or identity column: none, the sources' auto-increment columns have no sequence object. */
    public static String pg_get_serial_sequence(String table, String column)
    {
        return null;
    }

    static String indexDefinition(Relation relation, PgCatalogData.Index index)
    {
        return (index.unique() ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + quote_ident(index.name()) + " ON " + quote_ident(relation.namespace().name()) + "."
                + quote_ident(relation.name()) + " USING btree (" + PgCatalog.attributeList(relation, index.keys()) + ")";
    }
}
