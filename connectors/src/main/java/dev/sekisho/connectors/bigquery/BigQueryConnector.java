package dev.sekisho.connectors.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * A BigQuery source: each statement is one query job (GoogleSQL, positional parameters, the
 * source's {@code maximumBytesBilled} or the cost guard's smaller remaining allowance, labels
 * naming the user, the end user, the application and the statement), its rows are read page by
 * page as the client consumes them, and a cancel or the statement's end cancels a job that is
 * still running. Dry runs answer {@link #estimate}; the finished job's billed bytes go back to the
 * cost guard ({@link ExecutionContext#billed}).
 */
public final class BigQueryConnector
        implements Connector
{
    private static final Logger log = LoggerFactory.getLogger(BigQueryConnector.class);

    private final BigQueryConfig config;
    private final BigQuery bigquery;
    private final BigQueryDryRun dryRun;
    private final BigQueryMetadata metadata;
    /** Cancels jobs off the caller's thread: a cancel request may come from a thread that must not block. */
    private final ExecutorService cancels;

    public BigQueryConnector(BigQueryConfig config)
    {
        this.config = requireNonNull(config, "config is null");
        BigQueryClients clients = BigQueryClients.create(config);
        this.bigquery = clients.bigquery();
        this.dryRun = new BigQueryDryRun(config, clients.api());
        this.metadata = new BigQueryMetadata(config, bigquery);
        this.cancels = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "bigquery-cancel-" + config.source());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name()
    {
        return config.source();
    }

    @Override
    public SqlDialectKind dialect()
    {
        return SqlDialectKind.BIGQUERY;
    }

    @Override
    public ConnectorMetadata metadata()
    {
        return metadata;
    }

    @Override
    public Set<ConnectorCapability> capabilities()
    {
        return EnumSet.allOf(ConnectorCapability.class);
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        requireNonNull(context, "context is null");
        if (context.isCancelled()) {
            throw cancelled(context);
        }
        long maximumBytesBilled = maximumBytesBilled(context);
        String queryId = UUID.randomUUID().toString().replace("-", "");
        JobId jobId = JobId.newBuilder().setProject(config.project()).setLocation(config.location()).setJob("sekisho_" + queryId).build();
        QueryJobConfiguration configuration = jobConfiguration(query, context, queryId, maximumBytesBilled);
        RunningJob running = new RunningJob(jobId);
        ExecutionContext.Registration cancelRegistration = context.onCancel(running::cancel);
        ExecutionContext.Registration statementRegistration = context.closeWithStatement(running);
        try {
            Job job = create(JobInfo.of(jobId, configuration), context);
            running.created();
            TableResult result = job.getQueryResults(BigQuery.QueryResultsOption.pageSize(config.pageSize()));
            running.finished();
            reportBilled(jobId, context);
            TableId results = ((QueryJobConfiguration) job.getConfiguration()).getDestinationTable();
            return new BigQueryResultStream(config.source(), bigquery, results, config.pageSize(), result, context, () -> {
                cancelRegistration.close();
                statementRegistration.close();
            });
        }
        catch (BigQueryException e) {
            // the job failed (or was never created): nothing to cancel
            running.finished();
            if (e.getError() != null && "bytesBilledLimitExceeded".equals(e.getError().getReason())) {
                // BigQuery fails such a job before it reads anything, and bills nothing
                context.billed(0);
            }
            release(running, cancelRegistration, statementRegistration);
            throw BigQueryErrors.map(config.source(), e, context);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(running, cancelRegistration, statementRegistration);
            throw cancelled(context);
        }
        catch (RuntimeException | Error e) {
            release(running, cancelRegistration, statementRegistration);
            throw e;
        }
    }

    /**
     * jobs.insert, retried with backoff on backendError, internalError and 5xx answers (the client
     * retries rateLimitExceeded itself, but not these on an insert). The job id stays the same, so
     * an insert that did reach BigQuery is never run twice: its retry answers "duplicate" and the
     * job is read instead.
     */
    private Job create(JobInfo jobInfo, ExecutionContext context)
            throws InterruptedException
    {
        long backoff = config.retry().initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return bigquery.create(jobInfo);
            }
            catch (BigQueryException e) {
                String reason = e.getError() == null || e.getError().getReason() == null ? "" : e.getError().getReason();
                if (attempt > 1 && (reason.equals("duplicate") || e.getCode() == 409)) {
                    Job existing = bigquery.getJob(jobInfo.getJobId());
                    if (existing != null) {
                        return existing;
                    }
                }
                boolean retried = e.getCode() >= 500 || reason.equals("backendError") || reason.equals("internalError");
                if (!retried || attempt >= config.retry().maxAttempts() || context.isCancelled()) {
                    throw e;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.retry().maxBackoff().toMillis());
            }
        }
    }

    /** A dry run of the statement: the bytes it would read and how exact that is. */
    @Override
    public Optional<CostEstimate> estimate(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        requireNonNull(context, "context is null");
        return Optional.of(dryRun.estimate(query, labels(context, UUID.randomUUID().toString().replace("-", "")), context));
    }

    @Override
    public boolean tracksLastModified()
    {
        return true;
    }

    /**
     * tables.get with the field mask {@code lastModifiedTime}: a metadata read that runs no job and
     * bills nothing, answered in one small JSON object.
     */
    @Override
    public OptionalLong lastModified(SourceTable table)
    {
        requireNonNull(table, "table is null");
        try {
            Table found = bigquery.getTable(TableId.of(config.project(), table.schema(), table.table()),
                    BigQuery.TableOption.fields(BigQuery.TableField.LAST_MODIFIED_TIME));
            if (found == null || found.getLastModifiedTime() == null) {
                throw new QueryException(SqlStates.UNDEFINED_TABLE, "BigQuery (source " + config.source() + "): table " + table.qualifiedName()
                        + " is gone or has no lastModifiedTime");
            }
            return OptionalLong.of(found.getLastModifiedTime());
        }
        catch (BigQueryException e) {
            throw BigQueryErrors.map(config.source(), e, ExecutionContext.uncancellable("sekisho"));
        }
    }

    private static void release(RunningJob running, ExecutionContext.Registration cancelRegistration, ExecutionContext.Registration statementRegistration)
    {
        running.close();
        cancelRegistration.close();
        statementRegistration.close();
    }

    /**
     * The job's hard stop: the source's {@code maximum_bytes_billed}, or the cost guard's remaining
     * allowance when that is smaller. An allowance that is used up refuses the statement here, before
     * any job exists: BigQuery reads a {@code maximumBytesBilled} of 0 as "no limit".
     */
    private long maximumBytesBilled(ExecutionContext context)
    {
        OptionalLong allowance = context.maximumBytesBilled();
        if (allowance.isEmpty()) {
            return config.maximumBytesBilled();
        }
        if (allowance.getAsLong() < 1) {
            throw new QueryException(SqlStates.CONFIGURATION_LIMIT_EXCEEDED, "BigQuery (source " + config.source() + "): nothing is left of the allowance"
                    + " this statement would be billed to", "SHOW sekisho.budget tells what is left and when it renews.", null);
        }
        return Math.min(config.maximumBytesBilled(), allowance.getAsLong());
    }

    /**
     * Tells the cost guard what the finished job was billed ({@code totalBytesBilled}): the ledger is
     * charged this, not the dry run's estimate. A job whose statistics cannot be read is charged what
     * the guard reserved for it.
     */
    private void reportBilled(JobId jobId, ExecutionContext context)
    {
        try {
            Job done = bigquery.getJob(jobId, BigQuery.JobOption.fields(BigQuery.JobField.STATISTICS));
            if (done != null && done.getStatistics() instanceof JobStatistics.QueryStatistics statistics && statistics.getTotalBytesBilled() != null) {
                context.billed(statistics.getTotalBytesBilled());
            }
        }
        catch (BigQueryException e) {
            log.warn("Cannot read the bytes billed for job {} of source {}: {}", jobId.getJob(), config.source(), e.getMessage());
        }
    }

    private QueryJobConfiguration jobConfiguration(BackendQuery query, ExecutionContext context, String queryId, long maximumBytesBilled)
    {
        return QueryJobConfiguration.newBuilder(query.sql())
                .setUseLegacySql(false)
                .setParameterMode("POSITIONAL")
                .setPositionalParameters(BigQueryParameters.of(query.parameters(), query.parameterTypes()))
                .setLabels(labels(context, queryId))
                .setMaximumBytesBilled(maximumBytesBilled)
                .setUseQueryCache(config.useQueryCache())
                .setJobTimeoutMs(config.jobTimeout().toMillis())
                .build();
    }

    private Map<String, String> labels(ExecutionContext context, String queryId)
    {
        return JobLabels.of(context.user(), context.setting("sekisho.end_user").orElse(null), context.setting("application_name").orElse(null), queryId);
    }

    private static QueryException cancelled(ExecutionContext context)
    {
        return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(BigQueryErrors.USER_CANCEL_MESSAGE));
    }

    @Override
    public void close()
    {
        metadata.close();
        cancels.shutdown();
    }

    /**
     * One job while it may still run: a cancel, or the statement's end before the job finished,
     * sends jobs.cancel once. A cancel that arrives while jobs.insert is still under way is sent
     * as soon as the job exists.
     */
    private final class RunningJob
            implements AutoCloseable
    {
        private final JobId jobId;
        private final AtomicBoolean cancelSent = new AtomicBoolean();
        private boolean exists;
        private boolean cancelWanted;
        private boolean finished;

        RunningJob(JobId jobId)
        {
            this.jobId = jobId;
        }

        synchronized void created()
        {
            exists = true;
            if (cancelWanted) {
                sendCancel();
            }
        }

        synchronized void finished()
        {
            finished = true;
        }

        synchronized void cancel()
        {
            if (finished) {
                return;
            }
            cancelWanted = true;
            if (exists) {
                sendCancel();
            }
        }

        private void sendCancel()
        {
            if (!cancelSent.compareAndSet(false, true)) {
                return;
            }
            cancels.execute(() -> {
                try {
                    bigquery.cancel(jobId);
                }
                catch (BigQueryException e) {
                    log.warn("BigQuery source {}: job {} could not be cancelled: {}", config.source(), jobId.getJob(), e.getMessage());
                }
            });
        }

        @Override
        public void close()
        {
            cancel();
        }
    }
}
