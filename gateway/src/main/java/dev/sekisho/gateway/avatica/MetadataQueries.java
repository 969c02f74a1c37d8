package dev.sekisho.gateway.avatica;

import org.apache.calcite.avatica.ColumnMetaData;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * JDBC's {@code DatabaseMetaData} results. Those that depend on what exists (tables, columns,
 * schemas, primary keys) are queries of the emulated {@code information_schema}, run through the
 * caller's session like any statement, so that they show exactly what the principal's policy lets
 * the PostgreSQL door's catalog show; the rest are fixed (type info, table types) or empty
 * (procedures, privileges, foreign keys: the gateway has none to show).
 */
final class MetadataQueries
{
    /** The JDBC type of each PostgreSQL type name, as pgjdbc reports it. */
    private static final String DATA_TYPE = """
            case udt_name when 'int2' then 5 when 'int4' then 4 when 'int8' then -5 when 'float4' then 7 when 'float8' then 8
              when 'numeric' then 2 when 'bool' then 16 when 'bpchar' then 1 when 'varchar' then 12 when 'text' then 12
              when 'date' then 91 when 'time' then 92 when 'timestamp' then 93 when 'timestamptz' then 93 when 'bytea' then -3
              else case when substring(udt_name, 1, 1) = '_' then 2003 else 1111 end end""";

    private MetadataQueries() {}

    /** A metadata query and its parameters ($1, $2, ... in order). */
    record Query(String sql, List<Object> parameters)
    {
        Query
        {
            requireNonNull(sql, "sql is null");
            parameters = List.copyOf(parameters);
        }
    }

    /** A metadata result known without a query. */
    record Fixed(List<ColumnMetaData> columns, List<Object> rows)
    {
        Fixed
        {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    static Query tables(String schemaPattern, String tablePattern, List<String> types)
    {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        like(where, parameters, "table_schema", schemaPattern);
        like(where, parameters, "table_name", tablePattern);
        StringBuilder sql = new StringBuilder("""
                select * from (select table_catalog as "TABLE_CAT", table_schema as "TABLE_SCHEM", table_name as "TABLE_NAME",
                  case when table_schema in ('pg_catalog', 'information_schema') then case when table_type = 'VIEW' then 'SYSTEM VIEW' else 'SYSTEM TABLE' end
                    when table_type = 'BASE TABLE' then 'TABLE' else table_type end as "TABLE_TYPE",
                  cast(null as varchar) as "REMARKS", cast(null as varchar) as "TYPE_CAT", cast(null as varchar) as "TYPE_SCHEM",
                  cast(null as varchar) as "TYPE_NAME", cast(null as varchar) as "SELF_REFERENCING_COL_NAME", cast(null as varchar) as "REF_GENERATION"
                from information_schema.tables where\s""").append(where).append(") t");
        if (types != null && !types.isEmpty()) {
            sql.append(" where \"TABLE_TYPE\" in (");
            for (int i = 0; i < types.size(); i++) {
                parameters.add(types.get(i));
                sql.append(i == 0 ? "" : ", ").append('$').append(parameters.size());
            }
            sql.append(')');
        }
        sql.append(" order by \"TABLE_TYPE\", \"TABLE_SCHEM\", \"TABLE_NAME\"");
        return new Query(sql.toString(), parameters);
    }

    static Query columns(String schemaPattern, String tablePattern, String columnPattern)
    {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        like(where, parameters, "table_schema", schemaPattern);
        like(where, parameters, "table_name", tablePattern);
        like(where, parameters, "column_name", columnPattern);
        String sql = """
                select table_catalog as "TABLE_CAT", table_schema as "TABLE_SCHEM", table_name as "TABLE_NAME", column_name as "COLUMN_NAME",
                  %s as "DATA_TYPE", udt_name as "TYPE_NAME",
                  cast(coalesce(character_maximum_length, numeric_precision, datetime_precision) as integer) as "COLUMN_SIZE",
                  cast(null as integer) as "BUFFER_LENGTH", cast(numeric_scale as integer) as "DECIMAL_DIGITS",
                  cast(numeric_precision_radix as integer) as "NUM_PREC_RADIX", case when is_nullable = 'YES' then 1 else 0 end as "NULLABLE",
                  cast(null as varchar) as "REMARKS", column_default as "COLUMN_DEF", cast(null as integer) as "SQL_DATA_TYPE",
                  cast(null as integer) as "SQL_DATETIME_SUB", cast(character_octet_length as integer) as "CHAR_OCTET_LENGTH",
                  cast(ordinal_position as integer) as "ORDINAL_POSITION", is_nullable as "IS_NULLABLE", cast(null as varchar) as "SCOPE_CATALOG",
                  cast(null as varchar) as "SCOPE_SCHEMA", cast(null as varchar) as "SCOPE_TABLE", cast(null as smallint) as "SOURCE_DATA_TYPE",
                  'NO' as "IS_AUTOINCREMENT", 'NO' as "IS_GENERATEDCOLUMN"
                from information_schema.columns where %s
                order by table_schema, table_name, ordinal_position""".formatted(DATA_TYPE, where);
        return new Query(sql, parameters);
    }

    static Query schemas(String schemaPattern)
    {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        like(where, parameters, "schema_name", schemaPattern);
        return new Query("select schema_name as \"TABLE_SCHEM\", catalog_name as \"TABLE_CATALOG\" from information_schema.schemata where "
                + where + " order by schema_name", parameters);
    }

    static Query catalogs()
    {
        return new Query("select current_database() as \"TABLE_CAT\"", List.of());
    }

    static Query primaryKeys(String schema, String table)
    {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("c.constraint_type = 'PRIMARY KEY'");
        if (schema != null) {
            parameters.add(schema);
            where.append(" and k.table_schema = $").append(parameters.size());
        }
        if (table != null) {
            parameters.add(table);
            where.append(" and k.table_name = $").append(parameters.size());
        }
        return new Query("""
                select k.table_catalog as "TABLE_CAT", k.table_schema as "TABLE_SCHEM", k.table_name as "TABLE_NAME", k.column_name as "COLUMN_NAME",
                  cast(k.ordinal_position as smallint) as "KEY_SEQ", k.constraint_name as "PK_NAME"
                from information_schema.table_constraints c join information_schema.key_column_usage k
                  on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name and k.table_name = c.table_name
                where %s
                order by k.table_schema, k.table_name, k.ordinal_position""".formatted(where), parameters);
    }

    static Fixed tableTypes()
    {
        return new Fixed(List.of(AvaticaTypes.metadataColumn(0, "TABLE_TYPE", Types.VARCHAR)),
                List.of(new Object[] {"SYSTEM TABLE"}, new Object[] {"SYSTEM VIEW"}, new Object[] {"TABLE"}, new Object[] {"VIEW"}));
    }

    static Fixed typeInfo()
    {
        String[] labels = {"TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "LITERAL_SUFFIX", "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE",
                "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE",
                "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "NUM_PREC_RADIX"};
        int[] types = {Types.VARCHAR, Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.SMALLINT, Types.BOOLEAN,
                Types.SMALLINT, Types.BOOLEAN, Types.BOOLEAN, Types.BOOLEAN, Types.VARCHAR, Types.SMALLINT, Types.SMALLINT, Types.INTEGER,
                Types.INTEGER, Types.INTEGER};
        List<ColumnMetaData> columns = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            columns.add(AvaticaTypes.metadataColumn(i, labels[i], types[i]));
        }
        // ordered by DATA_TYPE, as JDBC asks
        List<Object> rows = List.of(
                type("int8", Types.BIGINT, 19, null, null, 0, false),
                type("bytea", Types.VARBINARY, 1_073_741_823, "'", "'", 0, true),
                type("bpchar", Types.CHAR, 10_485_760, "'", "'", 0, true),
                type("numeric", Types.NUMERIC, 1000, null, null, 1000, false),
                type("int4", Types.INTEGER, 10, null, null, 0, false),
                type("int2", Types.SMALLINT, 5, null, null, 0, false),
                type("float4", Types.REAL, 8, null, null, 0, false),
                type("float8", Types.DOUBLE, 17, null, null, 0, false),
                type("varchar", Types.VARCHAR, 10_485_760, "'", "'", 0, true),
                type("text", Types.VARCHAR, Integer.MAX_VALUE, "'", "'", 0, true),
                type("bool", Types.BOOLEAN, 1, null, null, 0, false),
                type("date", Types.DATE, 13, "'", "'", 0, false),
                type("time", Types.TIME, 15, "'", "'", 6, false),
                type("timestamp", Types.TIMESTAMP, 29, "'", "'", 6, false),
                type("timestamptz", Types.TIMESTAMP, 35, "'", "'", 6, false),
                type("json", Types.OTHER, Integer.MAX_VALUE, "'", "'", 0, true),
                type("uuid", Types.OTHER, 36, "'", "'", 0, false));
        return new Fixed(columns, rows);
    }

    private static Object[] type(String name, int jdbcType, int precision, String prefix, String suffix, int maximumScale, boolean caseSensitive)
    {
        return new Object[] {name, jdbcType, precision, prefix, suffix, null, (short) DatabaseMetaData.typeNullable, caseSensitive,
                (short) DatabaseMetaData.typeSearchable, false, false, false, name, (short) 0,
                (short) maximumScale, null, null, jdbcType == Types.NUMERIC || jdbcType == Types.INTEGER || jdbcType == Types.BIGINT
                        || jdbcType == Types.SMALLINT || jdbcType == Types.REAL || jdbcType == Types.DOUBLE ? 10 : null};
    }

    /** An empty result with these columns (all text). */
    static Fixed empty(String... labels)
    {
        List<ColumnMetaData> columns = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            columns.add(AvaticaTypes.metadataColumn(i, labels[i], Types.VARCHAR));
        }
        return new Fixed(columns, List.of());
    }

    static Fixed foreignKeysEmpty()
    {
        return empty("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME",
                "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY");
    }

    private static void like(StringBuilder where, List<Object> parameters, String column, String pattern)
    {
        if (pattern != null && !pattern.equals("%")) {
            parameters.add(pattern);
            where.append(" and ").append(column).append(" like $").append(parameters.size());
        }
    }
}
