package dev.sekisho.connectors.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.Locale;

/**
 * BigQuery's errors as PostgreSQL SQLSTATEs, keeping BigQuery's own message (see BigQuery's
 * "Error messages" reference for the reasons). The table is in {@code docs/bigquery.md}.
 */
final class BigQueryErrors
{
    static final String USER_CANCEL_MESSAGE = "canceling statement due to user request";
    private static final String CONFIGURATION_LIMIT_EXCEEDED = "53400";
    private static final String INSUFFICIENT_RESOURCES = "53000";
    private static final String SYSTEM_ERROR = "58000";
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42000";

    private BigQueryErrors() {}

    /** The client-facing failure for an error of the API or of a job. */
    static QueryException map(String source, BigQueryException e, ExecutionContext context)
    {
        if (context.isCancelled()) {
            return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(USER_CANCEL_MESSAGE), null, e);
        }
        BigQueryError error = e.getError();
        String reason = error == null || error.getReason() == null ? "" : error.getReason();
        String message = error != null && error.getMessage() != null ? error.getMessage() : String.valueOf(e.getMessage());
        String sqlState = sqlState(reason, message, e.getCode());
        return new QueryException(sqlState, "BigQuery (source " + source + "): " + message, hint(reason), e);
    }

    static String sqlState(String reason, String message, int httpStatus)
    {
        String lower = message.toLowerCase(Locale.ROOT);
        return switch (reason) {
            case "invalidQuery" -> {
                if (lower.contains("division by zero")) {
                    yield SqlStates.DIVISION_BY_ZERO;
                }
                if (lower.startsWith("syntax error")) {
                    yield SqlStates.SYNTAX_ERROR;
                }
                if (lower.startsWith("unrecognized name")) {
                    yield SqlStates.UNDEFINED_COLUMN;
                }
                if (lower.startsWith("no matching signature") || lower.startsWith("function not found")) {
                    yield SqlStates.UNDEFINED_FUNCTION;
                }
                if (lower.contains("overflow") || lower.contains("out of range")) {
                    yield SqlStates.NUMERIC_VALUE_OUT_OF_RANGE;
                }
                yield SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION;
            }
            case "notFound" -> SqlStates.UNDEFINED_TABLE;
            case "accessDenied", "billingNotEnabled", "billingTierLimitExceeded" -> SqlStates.INSUFFICIENT_PRIVILEGE;
            case "bytesBilledLimitExceeded", "responseTooLarge" -> SqlStates.PROGRAM_LIMIT_EXCEEDED;
            case "rateLimitExceeded", "quotaExceeded", "jobRateLimitExceeded" -> CONFIGURATION_LIMIT_EXCEEDED;
            case "resourcesExceeded" -> INSUFFICIENT_RESOURCES;
            case "stopped", "timeout" -> SqlStates.QUERY_CANCELED;
            case "duplicate" -> DUPLICATE_OBJECT;
            case "invalid" -> SqlStates.INVALID_PARAMETER_VALUE;
            case "backendError", "internalError" -> SYSTEM_ERROR;
            default -> httpStatus >= 500 || httpStatus == 0 ? SqlStates.CONNECTION_FAILURE : SYSTEM_ERROR;
        };
    }

    private static String hint(String reason)
    {
        return switch (reason) {
            case "bytesBilledLimitExceeded" -> "The statement would read more than this source's maximum_bytes_billed allows: "
                    + "filter on the table's partitioning or clustering columns, or select fewer columns.";
            case "rateLimitExceeded", "quotaExceeded", "jobRateLimitExceeded" -> "BigQuery's quota was reached (after retries); try again later.";
            case "accessDenied" -> "The gateway's BigQuery account lacks a permission; ask an administrator.";
            case "responseTooLarge" -> "Return fewer rows or columns, e.g. with a filter or LIMIT.";
            default -> null;
        };
    }
}
