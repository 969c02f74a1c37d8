package dev.sekisho.planner.spi;

import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What a statement would cost at its source, found without running it: the bytes it would read
 * and how far that figure can be trusted (BigQuery's dry run), or the rows it would examine and
 * the tables it would read whole (MySQL's {@code EXPLAIN}). The cost guard compares these with
 * the budgets before a statement is sent.
 *
 * @param bytesProcessed the bytes the source would read (BigQuery bills by these); 0 for a source that bills no bytes
 * @param accuracy whether {@code bytesProcessed} is exact or a bound
 * @param rowsExamined the rows the source would examine, for a source that estimates rows (MySQL)
 * @param fullScans the tables the source would read whole, with its row estimate for each
 */
public record CostEstimate(long bytesProcessed, Accuracy accuracy, OptionalLong rowsExamined, List<TableScan> fullScans)
{
    public CostEstimate
    {
        if (bytesProcessed < 0) {
            throw new IllegalArgumentException("bytesProcessed must not be negative: " + bytesProcessed);
        }
        requireNonNull(accuracy, "accuracy is null");
        requireNonNull(rowsExamined, "rowsExamined is null");
        fullScans = List.copyOf(fullScans);
    }

    /** A byte estimate (BigQuery's dry run). */
    public CostEstimate(long bytesProcessed, Accuracy accuracy)
    {
        this(bytesProcessed, accuracy, OptionalLong.empty(), List.of());
    }

    /** A row estimate (MySQL's EXPLAIN): no bytes are billed. */
    public static CostEstimate rows(long rowsExamined, List<TableScan> fullScans)
    {
        return new CostEstimate(0, Accuracy.PRECISE, OptionalLong.of(rowsExamined), fullScans);
    }

    /** Whether this estimate measures bytes (the source bills them), not rows. */
    public boolean measuresBytes()
    {
        return rowsExamined.isEmpty();
    }

    /** BigQuery's {@code totalBytesProcessedAccuracy}: clustered tables and row access policies make a dry run a bound. */
    public enum Accuracy
    {
        PRECISE,
        UPPER_BOUND,
        LOWER_BOUND,
        UNKNOWN,
    }

    /**
     * A table the statement would read whole.
     *
     * @param schema the schema as the source spells it
     * @param table the table as the source spells it
     * @param rows the source's estimate of the rows it reads
     */
    public record TableScan(String schema, String table, long rows)
    {
        public TableScan
        {
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
        }
    }
}
