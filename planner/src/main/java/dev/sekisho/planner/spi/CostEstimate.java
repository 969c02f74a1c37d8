package dev.sekisho.planner.spi;

import static java.util.Objects.requireNonNull;

/**
 * What a statement would cost at its source, found without running it (BigQuery's dry run): the
 * bytes it would read and how far that figure can be trusted. Routing and the cost guard compare
 * these before a statement is sent.
 *
 * @param bytesProcessed the bytes the source would read (BigQuery bills by these)
 * @param accuracy whether {@code bytesProcessed} is exact or a bound
 */
public record CostEstimate(long bytesProcessed, Accuracy accuracy)
{
    public CostEstimate
    {
        if (bytesProcessed < 0) {
            throw new IllegalArgumentException("bytesProcessed must not be negative: " + bytesProcessed);
        }
        requireNonNull(accuracy, "accuracy is null");
    }

    /** BigQuery's {@code totalBytesProcessedAccuracy}: clustered tables and row access policies make a dry run a bound. */
    public enum Accuracy
    {
        PRECISE,
        UPPER_BOUND,
        LOWER_BOUND,
        UNKNOWN,
    }
}
