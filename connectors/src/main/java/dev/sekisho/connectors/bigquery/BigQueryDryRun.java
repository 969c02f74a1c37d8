package dev.sekisho.connectors.bigquery;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatistics2;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * BigQuery's dry run of a statement: jobs.insert with {@code dryRun: true}, which costs nothing and
 * answers {@code totalBytesProcessed} with its accuracy (UPPER_BOUND for clustered tables, for one).
 * Retried like every other call on rateLimitExceeded, backendError and 5xx.
 */
final class BigQueryDryRun
{
    private static final Set<String> RETRIED_REASONS = Set.of("rateLimitExceeded", "backendError", "internalError", "jobRateLimitExceeded");

    private final BigQueryConfig config;
    private final Bigquery api;

    BigQueryDryRun(BigQueryConfig config, Bigquery api)
    {
        this.config = requireNonNull(config, "config is null");
        this.api = requireNonNull(api, "api is null");
    }

    CostEstimate estimate(BackendQuery query, Map<String, String> labels, ExecutionContext context)
    {
        JobConfigurationQuery queryConfiguration = new JobConfigurationQuery()
                .setQuery(query.sql())
                .setUseLegacySql(false)
                .setUseQueryCache(false)
                .setParameterMode("POSITIONAL")
                .setQueryParameters(parameters(BigQueryParameters.of(query.parameters(), query.parameterTypes())));
        Job job = new Job()
                .setJobReference(new JobReference().setProjectId(config.project()).setLocation(config.location()))
                .setConfiguration(new JobConfiguration().setDryRun(true).setLabels(labels).setQuery(queryConfiguration));
        long backoff = config.retry().initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                Job answered = api.jobs().insert(config.project(), job).execute();
                JobStatistics2 statistics = answered.getStatistics() == null ? null : answered.getStatistics().getQuery();
                long bytes = statistics == null || statistics.getTotalBytesProcessed() == null ? answered.getStatistics().getTotalBytesProcessed()
                        : statistics.getTotalBytesProcessed();
                String accuracy = statistics == null ? null : statistics.getTotalBytesProcessedAccuracy();
                return new CostEstimate(bytes, accuracy(accuracy));
            }
            catch (GoogleJsonResponseException e) {
                GoogleJsonError details = e.getDetails();
                String reason = details == null || details.getErrors() == null || details.getErrors().isEmpty() ? "" : details.getErrors().get(0).getReason();
                String message = details == null ? e.getMessage() : details.getMessage();
                if (attempt < config.retry().maxAttempts() && (RETRIED_REASONS.contains(reason) || e.getStatusCode() >= 500)) {
                    backoff = sleep(backoff, context);
                    continue;
                }
                throw new QueryException(BigQueryErrors.sqlState(reason, message, e.getStatusCode()), "BigQuery (source " + config.source() + "): " + message,
                        null, e);
            }
            catch (IOException e) {
                if (attempt < config.retry().maxAttempts()) {
                    backoff = sleep(backoff, context);
                    continue;
                }
                throw new QueryException(SqlStates.CONNECTION_FAILURE, "BigQuery (source " + config.source() + ") did not answer the dry run: " + e.getMessage(),
                        null, e);
            }
        }
    }

    private long sleep(long backoff, ExecutionContext context)
    {
        if (context.isCancelled()) {
            throw new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(BigQueryErrors.USER_CANCEL_MESSAGE));
        }
        try {
            Thread.sleep(backoff);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryException(SqlStates.QUERY_CANCELED, BigQueryErrors.USER_CANCEL_MESSAGE);
        }
        return Math.min(backoff * 2, config.retry().maxBackoff().toMillis());
    }

    private static CostEstimate.Accuracy accuracy(String accuracy)
    {
        if (accuracy == null) {
            return CostEstimate.Accuracy.UNKNOWN;
        }
        return switch (accuracy) {
            case "PRECISE" -> CostEstimate.Accuracy.PRECISE;
            case "UPPER_BOUND" -> CostEstimate.Accuracy.UPPER_BOUND;
            case "LOWER_BOUND" -> CostEstimate.Accuracy.LOWER_BOUND;
            default -> CostEstimate.Accuracy.UNKNOWN;
        };
    }

    /** The client library's parameters in the REST model's shape. */
    private static List<QueryParameter> parameters(List<com.google.cloud.bigquery.QueryParameterValue> values)
    {
        List<QueryParameter> parameters = new ArrayList<>();
        for (com.google.cloud.bigquery.QueryParameterValue value : values) {
            parameters.add(new QueryParameter().setParameterType(type(value)).setParameterValue(value(value)));
        }
        return parameters;
    }

    private static QueryParameterType type(com.google.cloud.bigquery.QueryParameterValue value)
    {
        QueryParameterType type = new QueryParameterType().setType(value.getType().name());
        if (value.getArrayType() != null) {
            type.setArrayType(new QueryParameterType().setType(value.getArrayType().name()));
        }
        return type;
    }

    private static QueryParameterValue value(com.google.cloud.bigquery.QueryParameterValue value)
    {
        QueryParameterValue rest = new QueryParameterValue();
        if (value.getArrayValues() != null) {
            List<QueryParameterValue> elements = new ArrayList<>();
            for (com.google.cloud.bigquery.QueryParameterValue element : value.getArrayValues()) {
                elements.add(value(element));
            }
            rest.setArrayValues(elements);
        }
        else {
            rest.setValue(value.getValue());
        }
        return rest;
    }
}
