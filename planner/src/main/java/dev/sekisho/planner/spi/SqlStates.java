package dev.sekisho.planner.spi;

/** The PostgreSQL SQLSTATEs Sekisho reports (see PostgreSQL's errcodes appendix). */
public final class SqlStates
{
    public static final String SUCCESSFUL_COMPLETION = "00000";
    public static final String CONNECTION_EXCEPTION = "08000";
    public static final String CONNECTION_FAILURE = "08006";
    public static final String PROTOCOL_VIOLATION = "08P01";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String DATA_EXCEPTION = "22000";
    public static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";
    public static final String INVALID_DATETIME_FORMAT = "22007";
    public static final String DATETIME_FIELD_OVERFLOW = "22008";
    public static final String DIVISION_BY_ZERO = "22012";
    public static final String INVALID_TEXT_REPRESENTATION = "22P02";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    public static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    public static final String INVALID_CURSOR_NAME = "34000";
    public static final String INVALID_SQL_STATEMENT_NAME = "26000";
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String SYNTAX_ERROR = "42601";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNDEFINED_TABLE = "42P01";
    public static final String UNDEFINED_COLUMN = "42703";
    public static final String UNDEFINED_FUNCTION = "42883";
    public static final String UNDEFINED_OBJECT = "42704";
    public static final String UNDEFINED_PARAMETER = "42P02";
    public static final String INDETERMINATE_DATATYPE = "42P18";
    public static final String AMBIGUOUS_COLUMN = "42702";
    public static final String INVALID_COLUMN_REFERENCE = "42P10";
    public static final String DATATYPE_MISMATCH = "42804";
    public static final String GROUPING_ERROR = "42803";
    public static final String INVALID_SCHEMA_NAME = "3F000";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String QUERY_CANCELED = "57014";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String CONFIGURATION_LIMIT_EXCEEDED = "53400";
    public static final String INTERNAL_ERROR = "XX000";

    private SqlStates() {}
}
