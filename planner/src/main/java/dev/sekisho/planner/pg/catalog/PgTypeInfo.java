package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.ColumnType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL 15 types the catalog emulation knows: OID, name, {@code typlen}, category and array
 * type, plus the mapping of Sekisho's {@link ColumnType} onto them (the same OIDs and typmods the
 * gateway sends in RowDescription). JDK types only, so that the gateway can share it.
 *
 * @param oid the type's OID
 * @param name {@code pg_type.typname}
 * @param length {@code typlen}
 * @param category {@code typcategory}
 * @param element for array types, the element type's OID; otherwise 0
 * @param array the OID of the array type over this one, or 0
 * @param displayName the name {@code format_type} prints
 */
public record PgTypeInfo(int oid, String name, int length, char category, int element, int array, String displayName)
{
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int CHAR = 18;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT2VECTOR = 22;
    public static final int INT4 = 23;
    public static final int REGPROC = 24;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int XID = 28;
    public static final int OIDVECTOR = 30;
    public static final int JSON = 114;
    public static final int PG_NODE_TREE = 194;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int INET = 869;
    public static final int BOOL_ARRAY = 1000;
    public static final int CHAR_ARRAY = 1002;
    public static final int NAME_ARRAY = 1003;
    public static final int INT2_ARRAY = 1005;
    public static final int INT4_ARRAY = 1007;
    public static final int TEXT_ARRAY = 1009;
    public static final int OID_ARRAY = 1028;
    public static final int ACLITEM_ARRAY = 1034;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int NUMERIC = 1700;
    public static final int REGCLASS = 2205;
    public static final int REGTYPE = 2206;
    public static final int ANYARRAY = 2277;
    public static final int VOID = 2278;
    public static final int UUID = 2950;
    public static final int JSONB = 3802;

    private static final Map<Integer, PgTypeInfo> BY_OID;

    static {
        Map<Integer, PgTypeInfo> types = new LinkedHashMap<>();
        base(types, BOOL, "bool", 1, 'B', BOOL_ARRAY, "boolean");
        base(types, BYTEA, "bytea", -1, 'U', 1001, "bytea");
        base(types, CHAR, "char", 1, 'Z', CHAR_ARRAY, "\"char\"");
        base(types, NAME, "name", 64, 'S', NAME_ARRAY, "name");
        base(types, INT8, "int8", 8, 'N', 1016, "bigint");
        base(types, INT2, "int2", 2, 'N', INT2_ARRAY, "smallint");
        base(types, INT2VECTOR, "int2vector", -1, 'A', 1006, "int2vector");
        base(types, INT4, "int4", 4, 'N', INT4_ARRAY, "integer");
        base(types, REGPROC, "regproc", 4, 'N', 1008, "regproc");
        base(types, TEXT, "text", -1, 'S', TEXT_ARRAY, "text");
        base(types, OID, "oid", 4, 'N', OID_ARRAY, "oid");
        base(types, 27, "tid", 6, 'U', 1010, "tid");
        base(types, XID, "xid", 4, 'U', 1011, "xid");
        base(types, 29, "cid", 4, 'U', 1012, "cid");
        base(types, OIDVECTOR, "oidvector", -1, 'A', 1013, "oidvector");
        base(types, JSON, "json", -1, 'U', 199, "json");
        base(types, 142, "xml", -1, 'U', 143, "xml");
        base(types, PG_NODE_TREE, "pg_node_tree", -1, 'Z', 0, "pg_node_tree");
        base(types, 600, "point", 16, 'G', 1017, "point");
        base(types, FLOAT4, "float4", 4, 'N', 1021, "real");
        base(types, FLOAT8, "float8", 8, 'N', 1022, "double precision");
        base(types, 705, "unknown", -2, 'X', 0, "unknown");
        base(types, 790, "money", 8, 'N', 791, "money");
        base(types, INET, "inet", -1, 'I', 1041, "inet");
        base(types, 1033, "aclitem", 12, 'U', ACLITEM_ARRAY, "aclitem");
        base(types, BPCHAR, "bpchar", -1, 'S', 1014, "character");
        base(types, VARCHAR, "varchar", -1, 'S', 1015, "character varying");
        base(types, DATE, "date", 4, 'D', 1182, "date");
        base(types, TIME, "time", 8, 'D', 1183, "time without time zone");
        base(types, TIMESTAMP, "timestamp", 8, 'D', 1115, "timestamp without time zone");
        base(types, TIMESTAMPTZ, "timestamptz", 8, 'D', 1185, "timestamp with time zone");
        base(types, INTERVAL, "interval", 16, 'T', 1187, "interval");
        base(types, 1266, "timetz", 12, 'D', 1270, "time with time zone");
        base(types, 1560, "bit", -1, 'V', 1561, "bit");
        base(types, 1562, "varbit", -1, 'V', 1563, "bit varying");
        base(types, NUMERIC, "numeric", -1, 'N', 1231, "numeric");
        base(types, 1790, "refcursor", -1, 'U', 2201, "refcursor");
        base(types, REGCLASS, "regclass", 4, 'N', 2210, "regclass");
        base(types, REGTYPE, "regtype", 4, 'N', 2211, "regtype");
        base(types, 4089, "regnamespace", 4, 'N', 4090, "regnamespace");
        base(types, UUID, "uuid", 16, 'U', 2951, "uuid");
        base(types, JSONB, "jsonb", -1, 'U', 3807, "jsonb");
        base(types, 2249, "record", -1, 'P', 2287, "record");
        base(types, 2275, "cstring", -2, 'P', 1263, "cstring");
        base(types, 2276, "any", 4, 'P', 0, "\"any\"");
        base(types, ANYARRAY, "anyarray", -1, 'P', 0, "anyarray");
        base(types, VOID, "void", 4, 'P', 0, "void");
        base(types, 2279, "trigger", 4, 'P', 0, "trigger");
        base(types, 2283, "anyelement", 4, 'P', 0, "anyelement");
        for (PgTypeInfo type : List.copyOf(types.values())) {
            if (type.array() != 0) {
                String arrayName = type.oid() == INT2VECTOR || type.oid() == OIDVECTOR ? "_" + type.name() : "_" + type.name();
                types.put(type.array(), new PgTypeInfo(type.array(), arrayName, -1, 'A', type.oid(), 0, type.displayName() + "[]"));
            }
        }
        BY_OID = Collections.unmodifiableMap(types);
    }

    private static void base(Map<Integer, PgTypeInfo> types, int oid, String name, int length, char category, int array, String displayName)
    {
        types.put(oid, new PgTypeInfo(oid, name, length, category, 0, array, displayName));
    }

    /** Every type, base types first in OID order, then their array types. */
    public static List<PgTypeInfo> all()
    {
        return new ArrayList<>(BY_OID.values());
    }

    public static Optional<PgTypeInfo> byOid(long oid)
    {
        return Optional.ofNullable(BY_OID.get((int) oid));
    }

    public static Optional<PgTypeInfo> byName(String name)
    {
        return BY_OID.values().stream().filter(type -> type.name().equals(name)).findFirst();
    }

    /** Whether this is an array type. */
    public boolean isArray()
    {
        return element != 0;
    }

    /**
     * The OID of the type a column of this {@link ColumnType} is sent as (as the gateway's
     * RowDescription): a domain is sent as its base type, as PostgreSQL does.
     */
    public static int oidOf(ColumnType type)
    {
        return switch (type.kind()) {
            case ARRAY -> arrayOidOf(type.elementType().orElseThrow());
            case ENUM -> namedTypeOid(type.namedType().orElseThrow());
            case BOOLEAN -> BOOL;
            case SMALLINT -> INT2;
            case INTEGER -> INT4;
            case BIGINT -> INT8;
            case REAL -> FLOAT4;
            case DOUBLE -> FLOAT8;
            case DECIMAL -> NUMERIC;
            case CHAR -> BPCHAR;
            case VARCHAR -> VARCHAR;
            case TEXT, UNKNOWN -> TEXT;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case TIMESTAMP_WITH_TIME_ZONE -> TIMESTAMPTZ;
            case BINARY -> BYTEA;
            case JSON -> JSON;
            case UUID -> UUID;
        };
    }

    /** {@code pg_attribute.atttypid} of a column of this type: like {@link #oidOf}, but a domain is itself. */
    public static int attributeOidOf(ColumnType type)
    {
        return type.isDomain() ? namedTypeOid(type.namedType().orElseThrow()) : oidOf(type);
    }

    /** The OID of the array type over {@code element}. */
    public static int arrayOidOf(ColumnType element)
    {
        if (element.namedType().isPresent()) {
            return namedArrayOid(element.namedType().get());
        }
        return BY_OID.get(oidOf(element)).array();
    }

    /**
     * The OID of a type a source defines: derived from its qualified name like every user object's
     * OID, so it is the same in every session, and reserved before tables get theirs.
     */
    public static int namedTypeOid(ColumnType.NamedType type)
    {
        return (int) Oids.of("type:" + type.schema() + "." + type.name());
    }

    /** The OID of the array type PostgreSQL creates beside every enum and domain. */
    public static int namedArrayOid(ColumnType.NamedType type)
    {
        return (int) Oids.of("array-type:" + type.schema() + "." + type.name());
    }

    /**
     * {@code atttypmod} as PostgreSQL reports it: {@code n + 4} for varchar(n) and char(n),
     * {@code ((p << 16) | s) + 4} for numeric(p, s), the fractional digits for time types, else -1.
     */
    public static int typmodOf(ColumnType type)
    {
        int length = type.length();
        return switch (type.kind()) {
            case CHAR, VARCHAR -> length == ColumnType.UNSPECIFIED ? -1 : length + 4;
            case DECIMAL -> length == ColumnType.UNSPECIFIED ? -1 : ((length << 16) | Math.max(0, type.scale())) + 4;
            case TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> length == ColumnType.UNSPECIFIED ? -1 : length;
            case ARRAY -> typmodOf(type.elementType().orElseThrow());
            default -> -1;
        };
    }

    /** {@code format_type(oid, typmod)}: the SQL name of a type with its modifier. */
    public static String formatType(long oid, int typmod)
    {
        Optional<PgTypeInfo> found = byOid(oid).or(() -> PgObjects.type(oid));
        if (found.isEmpty()) {
            return "???";
        }
        PgTypeInfo type = found.get();
        if (type.isArray()) {
            return formatType(type.element(), typmod) + "[]";
        }
        String name = type.displayName();
        if (typmod < 0) {
            return name;
        }
        return switch ((int) oid) {
            case VARCHAR, BPCHAR -> name + "(" + (typmod - 4) + ")";
            case NUMERIC -> "numeric(" + (((typmod - 4) >> 16) & 0xffff) + "," + ((typmod - 4) & 0xffff) + ")";
            case TIMESTAMP -> "timestamp(" + typmod + ") without time zone";
            case TIMESTAMPTZ -> "timestamp(" + typmod + ") with time zone";
            case TIME -> "time(" + typmod + ") without time zone";
            default -> name;
        };
    }
}
