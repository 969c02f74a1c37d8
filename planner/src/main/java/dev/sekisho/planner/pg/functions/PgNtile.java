package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;

/**
 * PostgreSQL's {@code ntile} bucket of a row, for plans the gateway runs itself: Calcite's own
 * {@code ntile} spreads the rows over the buckets in another pattern (10 rows in 4 buckets as
 * 3, 2, 3, 2 where PostgreSQL gives 3, 3, 2, 2), so the planner computes it from the row's number
 * and the partition's size instead (see {@code LocalWindowSemantics}).
 */
public final class PgNtile
{
    private PgNtile() {}

    /**
     * The bucket of row {@code rowNumber} (from 1) among {@code rows} rows split into
     * {@code buckets}: the first {@code rows % buckets} buckets hold one row more than the others,
     * as in PostgreSQL's {@code window_ntile}. Null for a null bucket count.
     */
    public static Integer bucket(Integer buckets, Long rowNumber, Long rows)
    {
        if (buckets == null) {
            return null;
        }
        if (buckets <= 0) {
            throw new QueryException("22014", "argument of ntile must be greater than zero", null, null);
        }
        long row = rowNumber - 1;
        long perBucket = rows / buckets;
        long remainder = rows % buckets;
        long inLargerBuckets = remainder * (perBucket + 1);
        if (row < inLargerBuckets) {
            return (int) (row / (perBucket + 1)) + 1;
        }
        return (int) (remainder + (row - inLargerBuckets) / perBucket) + 1;
    }
}
