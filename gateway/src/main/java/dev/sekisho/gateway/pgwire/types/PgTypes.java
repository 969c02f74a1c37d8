package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.ColumnType;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Sekisho's {@link ColumnType}s and the catalog emulation's type OIDs onto PostgreSQL wire
 * types (OID, typlen, typmod, codecs) and back, for RowDescription, DataRow, ParameterDescription
 * and the parameter OIDs of Parse.
 */
public final class PgTypes
{
    private static final Map<Integer, PgWireType> BY_OID = byOid();
    private static final Map<ColumnType.Kind, PgType> BY_KIND = byKind();

    private PgTypes() {}

    private static Map<Integer, PgWireType> byOid()
    {
        Map<Integer, PgWireType> types = new HashMap<>();
        for (PgType type : PgType.values()) {
            types.put(type.oid(), type);
        }
        for (PgCatalogType type : PgCatalogType.values()) {
            types.put(type.oid(), type);
        }
        // base types come before array types, so that every array finds its element
        for (PgTypeInfo info : PgTypeInfo.all()) {
            if (types.containsKey(info.oid())) {
                continue;
            }
            if (info.isArray()) {
                PgWireType element = types.get(info.element());
                if (element != null) {
                    types.put(info.oid(), new PgArrayType(info.oid(), element, info.displayName()));
                }
            }
            else {
                types.put(info.oid(), new PgOpaqueType(info.oid(), info.length(), info.displayName(), opaqueBinary(info.oid())));
            }
        }
        return Collections.unmodifiableMap(types);
    }

    private static Map<ColumnType.Kind, PgType> byKind()
    {
        Map<ColumnType.Kind, PgType> types = new EnumMap<>(ColumnType.Kind.class);
        for (ColumnType.Kind kind : ColumnType.Kind.values()) {
            if (kind == ColumnType.Kind.ARRAY || kind == ColumnType.Kind.ENUM) {
                // a type of its own per element type or enum: see of(ColumnType)
                continue;
            }
            int oid = PgTypeInfo.oidOf(ColumnType.of(kind));
            PgType type = Arrays.stream(PgType.values()).filter(candidate -> candidate.oid() == oid).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no wire codec for " + kind + " (OID " + oid + ")"));
            types.put(kind, type);
        }
        return Collections.unmodifiableMap(types);
    }

    private static PgOpaqueType.Binary opaqueBinary(int oid)
    {
        return switch (oid) {
            // pg_node_tree, xml, unknown, refcursor and cstring send their text
            case PgTypeInfo.PG_NODE_TREE, 142, 705, 1790, 2275 -> PgOpaqueType.Binary.TEXT;
            case PgTypeInfo.VOID -> PgOpaqueType.Binary.EMPTY;
            default -> PgOpaqueType.Binary.NONE;
        };
    }

    /** The wire type of a PostgreSQL type OID, if Sekisho knows the type. */
    public static Optional<PgWireType> forOid(int oid)
    {
        return Optional.ofNullable(BY_OID.get(oid));
    }

    /**
     * The wire type a result column is sent as: the column's own PostgreSQL type where the
     * planner set one ({@link ResultColumn#typeOid()}, e.g. {@code name} or {@code text[]} for
     * catalog columns), else the type of its {@link ColumnType}.
     */
    public static PgWireType of(ResultColumn column)
    {
        if (column.typeOid() != 0) {
            PgWireType type = BY_OID.get(column.typeOid());
            if (type != null) {
                return type;
            }
        }
        return of(column.type());
    }

    /** The typmod a result column is described with: the {@link ColumnType}'s where it decides the type, else -1. */
    public static int typmod(ResultColumn column)
    {
        return of(column) == of(column.type()) ? typmod(column.type()) : -1;
    }

    /**
     * The codec of a parameter the client declared in Parse with an OID that {@link #of(ColumnType)}
     * cannot express: {@code oid}, {@code name}, {@code "char"}, the vectors and the array types
     * (arrays travel through the planner as their text form). Empty for the other OIDs, whose
     * values the parameter's {@link ColumnType} decodes.
     */
    public static Optional<PgWireType> declaredParameterType(int oid)
    {
        PgWireType type = BY_OID.get(oid);
        if (type instanceof PgType || type instanceof PgOpaqueType || type == null) {
            return Optional.empty();
        }
        if (type instanceof PgCatalogType catalogType && catalogType.isOid() && catalogType != PgCatalogType.OID
                && catalogType != PgCatalogType.XID && catalogType != PgCatalogType.CID) {
            // regclass, regtype, regproc: PostgreSQL resolves names here, Sekisho cannot
            return Optional.empty();
        }
        return Optional.of(type);
    }

    /**
     * The PostgreSQL type a column of this type is sent as. The mapping itself is the catalog
     * emulation's ({@link PgTypeInfo#oidOf}), so that RowDescription and pg_attribute always agree:
     * a domain is sent as its base type, an enum as its own OID with its labels as text, an array
     * as the array type over its element's type.
     */
    public static PgWireType of(ColumnType type)
    {
        return switch (type.kind()) {
            case ENUM -> new PgEnumType(PgTypeInfo.oidOf(type), type.namedType().orElseThrow().name());
            case ARRAY -> {
                int oid = PgTypeInfo.oidOf(type);
                if (BY_OID.get(oid) instanceof PgArrayType known) {
                    yield known;
                }
                ColumnType element = type.elementType().orElseThrow();
                PgWireType elementType = of(element);
                yield new PgArrayType(oid, elementType, elementType.displayName() + "[]");
            }
            default -> BY_KIND.get(type.kind());
        };
    }

    /** {@code atttypmod} as PostgreSQL reports it ({@link PgTypeInfo#typmodOf}). */
    public static int typmod(ColumnType type)
    {
        return PgTypeInfo.typmodOf(type);
    }

    /**
     * The type a client meant by a parameter OID in Parse; empty for 0 (unspecified) and for OIDs
     * Sekisho has no type for (the planner then infers the type).
     */
    public static Optional<ColumnType> fromOid(int oid)
    {
        ColumnType.Kind kind = switch (oid) {
            case 16 -> ColumnType.Kind.BOOLEAN;
            case 17 -> ColumnType.Kind.BINARY;
            case 20 -> ColumnType.Kind.BIGINT;
            case 21 -> ColumnType.Kind.SMALLINT;
            case 23 -> ColumnType.Kind.INTEGER;
            case 25, 19, 18 -> ColumnType.Kind.TEXT;
            case 26, 28, 29 -> ColumnType.Kind.BIGINT;
            case 114, 3802 -> ColumnType.Kind.JSON;
            case 700 -> ColumnType.Kind.REAL;
            case 701 -> ColumnType.Kind.DOUBLE;
            case 1042 -> ColumnType.Kind.CHAR;
            case 1043 -> ColumnType.Kind.VARCHAR;
            case 1082 -> ColumnType.Kind.DATE;
            case 1083 -> ColumnType.Kind.TIME;
            case 1114 -> ColumnType.Kind.TIMESTAMP;
            case 1184 -> ColumnType.Kind.TIMESTAMP_WITH_TIME_ZONE;
            case 1700 -> ColumnType.Kind.DECIMAL;
            case 2950 -> ColumnType.Kind.UUID;
            // arrays and vectors travel through the planner as their text form
            default -> declaredParameterType(oid).isPresent() ? ColumnType.Kind.TEXT : null;
        };
        return Optional.ofNullable(kind).map(ColumnType::of);
    }
}
