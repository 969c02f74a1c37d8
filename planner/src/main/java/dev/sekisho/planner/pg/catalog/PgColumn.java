package dev.sekisho.planner.pg.catalog;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A column of an emulated catalog relation, with its PostgreSQL type. Values are held as Calcite
 * represents them: OIDs as {@code Long}, {@code name}, {@code text}, {@code "char"} and the
 * vector/array types as {@code String} (arrays in PostgreSQL's text form, e.g. {@code {a,b}};
 * {@code int2vector} and {@code oidvector} space-separated).
 *
 * @param name the column name
 * @param pgType the column's type OID
 */
record PgColumn(String name, int pgType)
{
    PgColumn
    {
        requireNonNull(name, "name is null");
    }

    /** Parses {@code "oid oid, relname name, ..."}. */
    static List<PgColumn> parse(String spec)
    {
        List<PgColumn> columns = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] words = part.strip().split("\\s+");
            columns.add(new PgColumn(words[0], typeOid(words[1])));
        }
        return columns;
    }

    private static int typeOid(String type)
    {
        return switch (type) {
            case "oid" -> PgTypeInfo.OID;
            case "name", "sql_identifier" -> PgTypeInfo.NAME;
            case "text" -> PgTypeInfo.TEXT;
            case "char" -> PgTypeInfo.CHAR;
            case "bool" -> PgTypeInfo.BOOL;
            case "int2" -> PgTypeInfo.INT2;
            case "int4", "cardinal_number" -> PgTypeInfo.INT4;
            case "int8" -> PgTypeInfo.INT8;
            case "float4" -> PgTypeInfo.FLOAT4;
            case "int2vector" -> PgTypeInfo.INT2VECTOR;
            case "oidvector" -> PgTypeInfo.OIDVECTOR;
            case "regproc" -> PgTypeInfo.REGPROC;
            case "regclass" -> PgTypeInfo.REGCLASS;
            case "node" -> PgTypeInfo.PG_NODE_TREE;
            case "acl" -> PgTypeInfo.ACLITEM_ARRAY;
            case "text[]" -> PgTypeInfo.TEXT_ARRAY;
            case "oid[]" -> PgTypeInfo.OID_ARRAY;
            case "int2[]" -> PgTypeInfo.INT2_ARRAY;
            case "char[]" -> PgTypeInfo.CHAR_ARRAY;
            case "name[]" -> PgTypeInfo.NAME_ARRAY;
            case "xid" -> PgTypeInfo.XID;
            case "timestamptz", "time_stamp" -> PgTypeInfo.TIMESTAMPTZ;
            case "varchar", "yes_or_no", "character_data" -> PgTypeInfo.VARCHAR;
            case "inet" -> PgTypeInfo.INET;
            case "anyarray" -> PgTypeInfo.ANYARRAY;
            default -> throw new IllegalArgumentException("unknown catalog column type " + type);
        };
    }

    /** The Calcite type that holds this column's values. */
    RelDataType relType(RelDataTypeFactory factory)
    {
        RelDataType type = switch (pgType) {
            case PgTypeInfo.OID, PgTypeInfo.REGCLASS, PgTypeInfo.XID, PgTypeInfo.INT8 -> factory.createSqlType(SqlTypeName.BIGINT);
            case PgTypeInfo.BOOL -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case PgTypeInfo.INT2 -> factory.createSqlType(SqlTypeName.SMALLINT);
            case PgTypeInfo.INT4 -> factory.createSqlType(SqlTypeName.INTEGER);
            case PgTypeInfo.FLOAT4 -> factory.createSqlType(SqlTypeName.REAL);
            case PgTypeInfo.TIMESTAMPTZ -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
            default -> factory.createSqlType(SqlTypeName.VARCHAR);
        };
        return factory.createTypeWithNullability(type, true);
    }
}
