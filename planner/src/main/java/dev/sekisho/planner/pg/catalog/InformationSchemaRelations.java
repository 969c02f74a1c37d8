package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.pg.catalog.PgCatalogData.Attribute;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Index;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Namespace;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Relation;

import java.util.ArrayList;
import java.util.List;

import static dev.sekisho.planner.pg.catalog.PgCatalog.INFORMATION_SCHEMA;
import static dev.sekisho.planner.pg.catalog.PgCatalog.row;

/**
 * The views of {@code information_schema} with PostgreSQL 15's columns. Its domains are shown as
 * their base types: {@code sql_identifier} as {@code name}, {@code cardinal_number} as
 * {@code integer}, {@code yes_or_no} and {@code character_data} as {@code character varying}, and
 * {@code time_stamp} as {@code timestamp with time zone} (as RowDescription reports them).
 */
final class InformationSchemaRelations
{
    private InformationSchemaRelations() {}

    static void define(PgCatalog catalog)
    {
        catalog.add(INFORMATION_SCHEMA, "schemata", 13001, 'v', "catalog_name sql_identifier, schema_name sql_identifier, "
                + "schema_owner sql_identifier, default_character_set_catalog sql_identifier, default_character_set_schema sql_identifier, "
                + "default_character_set_name sql_identifier, sql_path character_data", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Namespace namespace : data.namespaces()) {
                rows.add(row(data.database(), namespace.name(), PgCatalog.OWNER, null, null, null, null));
            }
            return rows;
        });
        catalog.add(INFORMATION_SCHEMA, "tables", 13002, 'v', "table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier, "
                + "table_type character_data, self_referencing_column_name sql_identifier, reference_generation character_data, "
                + "user_defined_type_catalog sql_identifier, user_defined_type_schema sql_identifier, user_defined_type_name sql_identifier, "
                + "is_insertable_into yes_or_no, is_typed yes_or_no, commit_action character_data", data -> data.relations().stream()
                // materialized views are not in the SQL standard's views, as in PostgreSQL
                .filter(relation -> relation.kind() != 'm')
                .map(relation -> row(data.database(), relation.namespace().name(), relation.name(), relation.kind() == 'v' ? "VIEW" : "BASE TABLE",
                        null, null, null, null, null, "NO", "NO", null))
                .toList());
        catalog.add(INFORMATION_SCHEMA, "columns", 13003, 'v', "table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier, "
                + "column_name sql_identifier, ordinal_position cardinal_number, column_default character_data, is_nullable yes_or_no, "
                + "data_type character_data, character_maximum_length cardinal_number, character_octet_length cardinal_number, "
                + "numeric_precision cardinal_number, numeric_precision_radix cardinal_number, numeric_scale cardinal_number, "
                + "datetime_precision cardinal_number, interval_type character_data, interval_precision cardinal_number, "
                + "character_set_catalog sql_identifier, character_set_schema sql_identifier, character_set_name sql_identifier, "
                + "collation_catalog sql_identifier, collation_schema sql_identifier, collation_name sql_identifier, domain_catalog sql_identifier, "
                + "domain_schema sql_identifier, domain_name sql_identifier, udt_catalog sql_identifier, udt_schema sql_identifier, "
                + "udt_name sql_identifier, scope_catalog sql_identifier, scope_schema sql_identifier, scope_name sql_identifier, "
                + "maximum_cardinality cardinal_number, dtd_identifier sql_identifier, is_self_referencing yes_or_no, is_identity yes_or_no, "
                + "identity_generation character_data, identity_start character_data, identity_increment character_data, "
                + "identity_maximum character_data, identity_minimum character_data, identity_cycle yes_or_no, is_generated character_data, "
                + "generation_expression character_data, is_updatable yes_or_no", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                if (relation.kind() == 'm') {
                    continue;
                }
                for (Attribute attribute : relation.attributes()) {
                    rows.add(columnRow(data, relation, attribute));
                }
            }
            return rows;
        });
        catalog.add(INFORMATION_SCHEMA, "views", 13004, 'v', "table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier, "
                + "view_definition character_data, check_option character_data, is_updatable yes_or_no, is_insertable_into yes_or_no, "
                + "is_trigger_updatable yes_or_no, is_trigger_deletable yes_or_no, is_trigger_insertable_into yes_or_no", data -> data.relations().stream()
                .filter(relation -> relation.kind() == 'v')
                .map(relation -> row(data.database(), relation.namespace().name(), relation.name(), null, "NONE", "NO", "NO", "NO", "NO", "NO"))
                .toList());
        catalog.add(INFORMATION_SCHEMA, "key_column_usage", 13005, 'v', "constraint_catalog sql_identifier, constraint_schema sql_identifier, "
                + "constraint_name sql_identifier, table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier, "
                + "column_name sql_identifier, ordinal_position cardinal_number, position_in_unique_constraint cardinal_number", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                for (Index index : relation.indexes()) {
                    if (!index.hasConstraint()) {
                        continue;
                    }
                    int position = 1;
                    for (int key : index.keys()) {
                        String column = relation.attributes().stream().filter(attribute -> attribute.number() == key).findFirst().orElseThrow().name();
                        rows.add(row(data.database(), relation.namespace().name(), index.name(), data.database(),
                                relation.namespace().name(), relation.name(), column, position++, null));
                    }
                }
            }
            return rows;
        });
        catalog.add(INFORMATION_SCHEMA, "table_constraints", 13006, 'v', "constraint_catalog sql_identifier, constraint_schema sql_identifier, "
                + "constraint_name sql_identifier, table_catalog sql_identifier, table_schema sql_identifier, table_name sql_identifier, "
                + "constraint_type character_data, is_deferrable yes_or_no, initially_deferred yes_or_no, enforced yes_or_no, "
                + "nulls_distinct yes_or_no", data -> data.relations().stream().flatMap(relation -> relation.indexes().stream()
                        .filter(Index::hasConstraint)
                        .map(index -> row(data.database(), relation.namespace().name(), index.name(), data.database(),
                                relation.namespace().name(), relation.name(), index.primary() ? "PRIMARY KEY" : "UNIQUE", "NO", "NO", "YES",
                                index.primary() ? null : "YES")))
                .toList());
        catalog.add(INFORMATION_SCHEMA, "referential_constraints", 13007, 'v', "constraint_catalog sql_identifier, "
                + "constraint_schema sql_identifier, constraint_name sql_identifier, unique_constraint_catalog sql_identifier, "
                + "unique_constraint_schema sql_identifier, unique_constraint_name sql_identifier, match_option character_data, "
                + "update_rule character_data, delete_rule character_data", data -> List.of());
        catalog.add(INFORMATION_SCHEMA, "routines", 13008, 'v', "specific_catalog sql_identifier, specific_schema sql_identifier, "
                + "specific_name sql_identifier, routine_catalog sql_identifier, routine_schema sql_identifier, routine_name sql_identifier, "
                + "routine_type character_data, module_catalog sql_identifier, module_schema sql_identifier, module_name sql_identifier, "
                + "udt_catalog sql_identifier, udt_schema sql_identifier, udt_name sql_identifier, data_type character_data, "
                + "character_maximum_length cardinal_number, character_octet_length cardinal_number, character_set_catalog sql_identifier, "
                + "character_set_schema sql_identifier, character_set_name sql_identifier, collation_catalog sql_identifier, "
                + "collation_schema sql_identifier, collation_name sql_identifier, numeric_precision cardinal_number, "
                + "numeric_precision_radix cardinal_number, numeric_scale cardinal_number, datetime_precision cardinal_number, "
                + "interval_type character_data, interval_precision cardinal_number, type_udt_catalog sql_identifier, "
                + "type_udt_schema sql_identifier, type_udt_name sql_identifier, scope_catalog sql_identifier, scope_schema sql_identifier, "
                + "scope_name sql_identifier, maximum_cardinality cardinal_number, dtd_identifier sql_identifier, routine_body character_data, "
                + "routine_definition character_data, external_name character_data, external_language character_data, "
                + "parameter_style character_data, is_deterministic yes_or_no, sql_data_access character_data, is_null_call yes_or_no, "
                + "sql_path character_data, schema_level_routine yes_or_no, max_dynamic_result_sets cardinal_number, "
                + "is_user_defined_cast yes_or_no, is_implicitly_invocable yes_or_no, security_type character_data, "
                + "to_sql_specific_catalog sql_identifier, to_sql_specific_schema sql_identifier, to_sql_specific_name sql_identifier, "
                + "as_locator yes_or_no, created time_stamp, last_altered time_stamp, new_savepoint_level yes_or_no, is_udt_dependent yes_or_no, "
                + "result_cast_from_data_type character_data, result_cast_as_locator yes_or_no, result_cast_char_max_length cardinal_number, "
                + "result_cast_char_octet_length cardinal_number, result_cast_char_set_catalog sql_identifier, "
                + "result_cast_char_set_schema sql_identifier, result_cast_char_set_name sql_identifier, "
                + "result_cast_collation_catalog sql_identifier, result_cast_collation_schema sql_identifier, "
                + "result_cast_collation_name sql_identifier, result_cast_numeric_precision cardinal_number, "
                + "result_cast_numeric_precision_radix cardinal_number, result_cast_numeric_scale cardinal_number, "
                + "result_cast_datetime_precision cardinal_number, result_cast_interval_type character_data, "
                + "result_cast_interval_precision cardinal_number, result_cast_type_udt_catalog sql_identifier, "
                + "result_cast_type_udt_schema sql_identifier, result_cast_type_udt_name sql_identifier, result_cast_scope_catalog sql_identifier, "
                + "result_cast_scope_schema sql_identifier, result_cast_scope_name sql_identifier, result_cast_maximum_cardinality cardinal_number, "
                + "result_cast_dtd_identifier sql_identifier", data -> List.of());
        catalog.add(INFORMATION_SCHEMA, "parameters", 13009, 'v', "specific_catalog sql_identifier, specific_schema sql_identifier, "
                + "specific_name sql_identifier, ordinal_position cardinal_number, parameter_mode character_data, is_result yes_or_no, "
                + "as_locator yes_or_no, parameter_name sql_identifier, data_type character_data, character_maximum_length cardinal_number, "
                + "character_octet_length cardinal_number, character_set_catalog sql_identifier, character_set_schema sql_identifier, "
                + "character_set_name sql_identifier, collation_catalog sql_identifier, collation_schema sql_identifier, "
                + "collation_name sql_identifier, numeric_precision cardinal_number, numeric_precision_radix cardinal_number, "
                + "numeric_scale cardinal_number, datetime_precision cardinal_number, interval_type character_data, "
                + "interval_precision cardinal_number, udt_catalog sql_identifier, udt_schema sql_identifier, udt_name sql_identifier, "
                + "scope_catalog sql_identifier, scope_schema sql_identifier, scope_name sql_identifier, maximum_cardinality cardinal_number, "
                + "dtd_identifier sql_identifier, parameter_default character_data", data -> List.of());
        catalog.add(INFORMATION_SCHEMA, "character_sets", 13010, 'v', "character_set_catalog sql_identifier, character_set_schema sql_identifier, "
                + "character_set_name sql_identifier, character_repertoire sql_identifier, form_of_use sql_identifier, "
                + "default_collate_catalog sql_identifier, default_collate_schema sql_identifier, default_collate_name sql_identifier",
                data -> List.<Object[]>of(row(null, null, "UTF8", "UCS", "UTF8", data.database(), PgCatalog.PG_CATALOG, "C")));
    }

    private static Object[] columnRow(PgCatalogData data, Relation relation, Attribute attribute)
    {
        PgTypeInfo declared = data.type(attribute.typeOid()).orElseThrow();
        PgCatalogData.UserType userType = data.userTypes().stream().filter(candidate -> candidate.info().oid() == declared.oid()).findFirst().orElse(null);
        String domainSchema = null;
        String domainName = null;
        PgTypeInfo type = declared;
        if (userType != null && !userType.isEnum()) {
            // a domain: the data type is its base type's, and domain_* name the domain
            domainSchema = userType.named().schema();
            domainName = userType.named().name();
            type = PgTypeInfo.byOid(PgTypeInfo.oidOf(userType.type())).orElseThrow();
        }
        String udtSchema = PgCatalog.PG_CATALOG;
        PgTypeInfo udtElement = type.isArray() ? data.type(type.element()).orElse(type) : type;
        PgCatalogData.UserType udt = data.userTypes().stream().filter(candidate -> candidate.info().oid() == udtElement.oid()).findFirst().orElse(null);
        if (udt != null) {
            udtSchema = udt.named().schema();
        }
        int typmod = attribute.typmod();
        Integer characterLength = null;
        Integer octetLength = null;
        Integer precision = null;
        Integer radix = null;
        Integer scale = null;
        Integer datetimePrecision = null;
        switch (type.oid()) {
            case PgTypeInfo.VARCHAR, PgTypeInfo.BPCHAR -> {
                characterLength = typmod < 0 ? null : typmod - 4;
                octetLength = typmod < 0 ? 1073741824 : (typmod - 4) * 4;
            }
            case PgTypeInfo.TEXT -> octetLength = 1073741824;
            case PgTypeInfo.INT2 -> {
                precision = 16;
                radix = 2;
                scale = 0;
            }
            case PgTypeInfo.INT4 -> {
                precision = 32;
                radix = 2;
                scale = 0;
            }
            case PgTypeInfo.INT8 -> {
                precision = 64;
                radix = 2;
                scale = 0;
            }
            case PgTypeInfo.FLOAT4 -> {
                precision = 24;
                radix = 2;
            }
            case PgTypeInfo.FLOAT8 -> {
                precision = 53;
                radix = 2;
            }
            case PgTypeInfo.NUMERIC -> {
                radix = 10;
                precision = typmod < 0 ? null : ((typmod - 4) >> 16) & 0xffff;
                scale = typmod < 0 ? null : (typmod - 4) & 0xffff;
            }
            case PgTypeInfo.DATE -> datetimePrecision = 0;
            case PgTypeInfo.TIME, PgTypeInfo.TIMESTAMP, PgTypeInfo.TIMESTAMPTZ -> datetimePrecision = typmod < 0 ? 6 : typmod;
            default -> { }
        }
        String dataType = type.isArray() ? "ARRAY" : type.category() == 'E' ? "USER-DEFINED" : type.category() == 'Z' || type.oid() == PgTypeInfo.NAME || type.oid() == PgTypeInfo.OID
                || type.oid() == PgTypeInfo.INT2VECTOR || type.oid() == PgTypeInfo.OIDVECTOR || type.oid() == PgTypeInfo.REGPROC
                || type.oid() == PgTypeInfo.XID || type.oid() == PgTypeInfo.INET || type.oid() == PgTypeInfo.ANYARRAY ? systemDataType(type) : type.displayName();
        return row(data.database(), relation.namespace().name(), relation.name(), attribute.name(), attribute.number(), null,
                attribute.notNull() ? "NO" : "YES", dataType, characterLength, octetLength, precision, radix, scale, datetimePrecision, null, null,
                null, null, null, null, null, null, domainName == null ? null : data.database(), domainSchema, domainName, data.database(), udtSchema,
                type.name(), null, null, null, null,
                String.valueOf(attribute.number()), "NO", "NO", null, null, null, null, null, "NO", "NEVER", null, relation.kind() == 'v' ? "NO" : "YES");
    }

    private static String systemDataType(PgTypeInfo type)
    {
        return switch (type.oid()) {
            case PgTypeInfo.CHAR -> "\"char\"";
            case PgTypeInfo.ANYARRAY -> "anyarray";
            default -> type.name();
        };
    }
}
