package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.RaisedErrors;
import dev.sekisho.planner.spi.SqlStates;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * MySQL and MariaDB errors as PostgreSQL SQLSTATEs, with messages for clients. The server's own
 * text is passed on only for errors whose text names nothing but tables, columns and functions.
 * Other texts can quote the statement, and Connector/J writes bound values into the statement it
 * sends: a policy's parameters, the hash mask's salt, raw values under a mask. Those errors get a
 * message of our own with the MySQL error number. Connection failures never carry the driver's
 * text (hosts, driver internals), and nothing carries credentials.
 */
public final class MySqlErrors
{
    public static final String USER_CANCEL_MESSAGE = "canceling statement due to user request";

    /** PostgreSQL's collation_mismatch: two strings whose collations cannot be reconciled met in one comparison or function. */
    private static final String COLLATION_MISMATCH = "42P21";
    private static final Map<Integer, String> BY_ERROR_CODE = Map.ofEntries(
            Map.entry(1146, SqlStates.UNDEFINED_TABLE),            // ER_NO_SUCH_TABLE
            Map.entry(1054, SqlStates.UNDEFINED_COLUMN),           // ER_BAD_FIELD_ERROR
            Map.entry(1064, SqlStates.SYNTAX_ERROR),               // ER_PARSE_ERROR
            Map.entry(1149, SqlStates.SYNTAX_ERROR),               // ER_SYNTAX_ERROR
            Map.entry(1317, SqlStates.QUERY_CANCELED),             // ER_QUERY_INTERRUPTED
            Map.entry(1049, SqlStates.INVALID_SCHEMA_NAME),        // ER_BAD_DB_ERROR
            Map.entry(1365, SqlStates.DIVISION_BY_ZERO),           // ER_DIVISION_BY_ZERO
            Map.entry(1052, SqlStates.AMBIGUOUS_COLUMN),           // ER_NON_UNIQ_ERROR
            Map.entry(1305, SqlStates.UNDEFINED_FUNCTION),         // ER_SP_DOES_NOT_EXIST
            Map.entry(1630, SqlStates.UNDEFINED_FUNCTION),         // ER_FUNC_INEXISTENT_NAME_COLLISION
            Map.entry(1044, SqlStates.INSUFFICIENT_PRIVILEGE),     // ER_DBACCESS_DENIED_ERROR
            Map.entry(1142, SqlStates.INSUFFICIENT_PRIVILEGE),     // ER_TABLEACCESS_DENIED_ERROR
            Map.entry(1143, SqlStates.INSUFFICIENT_PRIVILEGE),     // ER_COLUMNACCESS_DENIED_ERROR
            Map.entry(1045, SqlStates.INVALID_AUTHORIZATION_SPECIFICATION), // ER_ACCESS_DENIED_ERROR
            Map.entry(1040, SqlStates.TOO_MANY_CONNECTIONS),       // ER_CON_COUNT_ERROR
            Map.entry(1690, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE), // ER_DATA_OUT_OF_RANGE
            Map.entry(1264, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE), // ER_WARN_DATA_OUT_OF_RANGE
            Map.entry(1292, SqlStates.INVALID_DATETIME_FORMAT),    // ER_TRUNCATED_WRONG_VALUE
            Map.entry(1366, SqlStates.INVALID_TEXT_REPRESENTATION), // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
            Map.entry(1290, SqlStates.READ_ONLY_SQL_TRANSACTION),  // ER_OPTION_PREVENTS_STATEMENT (read_only)
            Map.entry(1792, SqlStates.READ_ONLY_SQL_TRANSACTION),  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
            Map.entry(1969, SqlStates.QUERY_CANCELED),             // MariaDB ER_STATEMENT_TIMEOUT
            Map.entry(3024, SqlStates.QUERY_CANCELED),             // MySQL ER_QUERY_TIMEOUT
            Map.entry(1242, "21000"),                              // ER_SUBQUERY_NO_1_ROW: a scalar sub-query returned several rows
            Map.entry(1139, "2201B"),                              // ER_REGEXP_ERROR: an invalid regular expression
            Map.entry(1267, COLLATION_MISMATCH),                   // ER_CANT_AGGREGATE_2COLLATIONS ("Illegal mix of collations")
            Map.entry(1270, COLLATION_MISMATCH),                   // ER_CANT_AGGREGATE_3COLLATIONS
            Map.entry(1271, COLLATION_MISMATCH),                   // ER_CANT_AGGREGATE_NCOLLATIONS
            Map.entry(1053, SqlStates.ADMIN_SHUTDOWN));            // ER_SERVER_SHUTDOWN

    /** Errors whose server text names only tables, columns, functions or databases. */
    private static final Set<Integer> TEXT_NAMES_OBJECTS_ONLY = Set.of(1146, 1054, 1052, 1305, 1630, 1049);

    private MySqlErrors() {}

    /**
     * The PostgreSQL error for warnings MySQL raised on a read where PostgreSQL raises an error:
     * MySQL answers {@code 1/0} with NULL, {@code CAST('abc' AS SIGNED)} with 0 and an impossible date
     * with NULL, and only warns. Empty for warnings PostgreSQL has no error for. The message never
     * quotes the server's text: it names the value, which may be one the policy masks.
     */
    public static Optional<QueryException> fromWarnings(java.sql.SQLWarning warnings)
    {
        for (java.sql.SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
            String text = warning.getMessage() == null ? "" : warning.getMessage();
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            Optional<QueryException> raised = RaisedErrors.fromText(text);
            if (raised.isPresent()) {
                return raised;
            }
            QueryException failure = switch (warning.getErrorCode()) {
                case 1365 -> new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero");
                case 1264, 1690 -> new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow",
                        "The value does not fit the type it is cast to; cast to a wider type.", null);
                case 1441 -> new QueryException(DATETIME_FIELD_OVERFLOW, "date/time field value out of range");
                case 1292, 1366, 1411, 1918 -> invalidValue(lower);
                default -> null;
            };
            if (failure != null) {
                return Optional.of(failure);
            }
        }
        return Optional.empty();
    }

    /** 22008 for a date or time out of range, 22007 for a date or time in the wrong format, else 22P02. */
    private static QueryException invalidValue(String lower)
    {
        for (String type : List.of("integer", "decimal", "double")) {
            if (lower.contains("incorrect " + type + " value") || lower.contains("converting to " + type)) {
                String pgType = switch (type) {
                    case "integer" -> "integer";
                    case "decimal" -> "numeric";
                    default -> "double precision";
                };
                return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + pgType,
                        "Check the text being cast; only digits (and a sign, a decimal point) are numbers.", null);
            }
        }
        if (lower.contains("date") || lower.contains("time")) {
            // a date-shaped value with an impossible field ('2024-02-30') or a text that is no date at all
            boolean shaped = java.util.regex.Pattern.compile("'\\d{1,4}-\\d{1,2}-\\d{1,2}").matcher(lower).find();
            return shaped
                    ? new QueryException(DATETIME_FIELD_OVERFLOW, "date/time field value out of range")
                    : new QueryException(SqlStates.INVALID_DATETIME_FORMAT, "invalid input syntax for type date or timestamp",
                    "Write dates as YYYY-MM-DD and timestamps as YYYY-MM-DD HH:MM:SS.", null);
        }
        return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input value");
    }

    private static final String DATETIME_FIELD_OVERFLOW = "22008";

    /**
     * Turns a failure of a statement on {@code server} of {@code source} into a client error.
     *
     * @param cancelReason the reason when the caller cancelled the statement; wins over the error
     */
    public static QueryException toQueryException(SQLException e, String source, String server, Optional<String> cancelReason)
    {
        if (cancelReason.isPresent()) {
            return new QueryException(SqlStates.QUERY_CANCELED, cancelReason.get(), null, e);
        }
        if (isConnectionFailure(e)) {
            return new QueryException(
                    SqlStates.CONNECTION_FAILURE,
                    "lost the connection to read server " + server + " of source '" + source + "' while running the statement",
                    "run the statement again; another replica will be tried if this one stays down",
                    e);
        }
        int code = e.getErrorCode();
        String state = BY_ERROR_CODE.get(code);
        if (code == 1317) {
            return new QueryException(SqlStates.QUERY_CANCELED, USER_CANCEL_MESSAGE, null, e);
        }
        if (code == 1969 || code == 3024) {
            return new QueryException(SqlStates.QUERY_CANCELED, "canceling statement due to statement timeout", null, e);
        }
        if (code == 1045) {
            return new QueryException(
                    SqlStates.INVALID_AUTHORIZATION_SPECIFICATION,
                    "read server " + server + " of source '" + source + "' refused the gateway's credentials",
                    "check user: and password: of that server in the gateway's configuration",
                    e);
        }
        if (state == null) {
            state = fromJdbcState(e.getSQLState());
        }
        if (TEXT_NAMES_OBJECTS_ONLY.contains(code) && e.getMessage() != null) {
            return new QueryException(state, "MySQL error " + code + " from source '" + source + "': " + e.getMessage(), objectHint(code), e);
        }
        return new QueryException(state, "source '" + source + "' failed the statement: " + describe(code), hint(code), e);
    }

    private static String describe(int code)
    {
        String what = switch (code) {
            case 1064, 1149 -> "it rejected the SQL that Sekisho generated as a syntax error";
            case 1365 -> "division by zero";
            case 1690, 1264 -> "a value is out of range";
            case 1292, 1366 -> "a value could not be converted";
            case 1044, 1142, 1143 -> "the gateway's account may not read a table or column the statement needs";
            case 1267, 1270, 1271 -> "text values with collations that cannot be compared met in one expression";
            default -> "the server reported an error";
        };
        // MySQL's own text is left out on purpose: it can quote the statement with its bound values
        return what + " (MySQL error " + code + ")";
    }

    /** What to do about an error naming a table, column, database or function the source does not know. */
    private static String objectHint(int code)
    {
        return switch (code) {
            // Sekisho checked the names against the catalog it read: a table or column the source lacks now was dropped or renamed since
            case 1146, 1054, 1049 -> "the source's tables changed since Sekisho read them; run the statement again";
            // Sekisho never sends a function the source lacks: the source's version or settings differ from what it expects
            case 1305, 1630 -> "the source does not have this function; this is a Sekisho bug: please report the statement "
                    + "(`sekisho policy explain` shows the SQL sent)";
            default -> null;
        };
    }

    private static String hint(int code)
    {
        return switch (code) {
            case 1064, 1149 -> "this is a Sekisho bug: please report the statement (`sekisho policy explain` shows the SQL sent)";
            case 1044, 1142, 1143 -> "grant SELECT on the source's tables to the account in the gateway's configuration";
            case 1267, 1270, 1271 -> "the text columns involved have collations at the source that MySQL cannot compare "
                    + "(e.g. a latin1 column with a utf8mb4 one); give them one character set and collation at the source";
            default -> null;
        };
    }

    /** Whether the connection itself failed (rather than the statement). */
    public static boolean isConnectionFailure(SQLException e)
    {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException
                || (state != null && state.startsWith("08"))
                || e.getClass().getSimpleName().equals("CommunicationsException");
    }

    /**
     * Whether the server itself went away (rather than the statement failing on it): the connection
     * broke, the server shut down or killed the connection. Such a failure before the first row
     * may be retried on another server.
     */
    public static boolean isServerLost(SQLException e)
    {
        int code = e.getErrorCode();
        return isConnectionFailure(e) || code == 1053 || code == 1927 || code == 2006 || code == 2013;
    }

    private static String fromJdbcState(String jdbcState)
    {
        if (jdbcState == null || jdbcState.length() != 5) {
            return SqlStates.INTERNAL_ERROR;
        }
        switch (jdbcState.substring(0, 2)) {
            case "22":
                return SqlStates.DATA_EXCEPTION;
            case "42":
                return "42000"; // syntax_error_or_access_rule_violation
            case "0A":
                return SqlStates.FEATURE_NOT_SUPPORTED;
            case "25":
                return SqlStates.READ_ONLY_SQL_TRANSACTION;
            case "28":
                return SqlStates.INVALID_AUTHORIZATION_SPECIFICATION;
            case "53":
                return SqlStates.TOO_MANY_CONNECTIONS;
            case "57":
                return SqlStates.QUERY_CANCELED;
            default:
                return SqlStates.INTERNAL_ERROR;
        }
    }
}
