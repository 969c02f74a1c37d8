package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected values from PostgreSQL 15 (the same calls run on the embedded server while writing these). */
class TestPgGroupValueFunctions
{
    private static final List<Integer> ONE_TO_FOUR = Arrays.asList(3, null, 1, 4, 2);

    @Test
    void percentileDiscPicksTheValueAtTheFractionsRank()
    {
        // percentile_disc(f) WITHIN GROUP (ORDER BY x) over (1), (2), (3), (4), (NULL): 1, 2, 3 for 0, 0.5, 0.51; DESC: 1 for 1, 3 for 0.3
        assertThat(PgOrderedSetFunctions.percentileDisc(0.0, ONE_TO_FOUR, false)).isEqualTo(1);
        assertThat(PgOrderedSetFunctions.percentileDisc(0.5, ONE_TO_FOUR, false)).isEqualTo(2);
        assertThat(PgOrderedSetFunctions.percentileDisc(0.51, ONE_TO_FOUR, false)).isEqualTo(3);
        assertThat(PgOrderedSetFunctions.percentileDisc(1.0, ONE_TO_FOUR, true)).isEqualTo(1);
        assertThat(PgOrderedSetFunctions.percentileDisc(0.3, ONE_TO_FOUR, true)).isEqualTo(3);
        assertThat(PgOrderedSetFunctions.percentileDisc(0.5, Arrays.asList(null, null), false)).isNull();
        assertThatThrownBy(() -> PgOrderedSetFunctions.percentileDisc(1.5, ONE_TO_FOUR, false))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"))
                .hasMessage("percentile value 1.5 is not between 0 and 1");
    }

    @Test
    void modeTakesTheFirstInOrderAmongTies()
    {
        List<String> values = Arrays.asList("b", "a", "b", "a", "c", null, null, null);
        assertThat(PgOrderedSetFunctions.mode(values, false)).isEqualTo("a");
        assertThat(PgOrderedSetFunctions.mode(values, true)).isEqualTo("b");
        assertThat(PgOrderedSetFunctions.mode(Arrays.asList((Object) null), false)).isNull();
    }

    @Test
    void jsonAggWritesPostgresJsonArrays()
    {
        // json_agg(y) over ('a"b'), (NULL), ('c'); json_agg(x ORDER BY x DESC) over 1, NULL, 2.5 (numeric)
        assertThat(PgOrderedSetFunctions.jsonAgg(List.of(List.of("a\"b"), Arrays.asList((Object) null), List.of("c")))).isEqualTo("[\"a\\\"b\", null, \"c\"]");
        assertThat(PgOrderedSetFunctions.jsonAgg(Arrays.asList(null, new BigDecimal("2.5"), new BigDecimal("1")))).isEqualTo("[null, 2.5, 1]");
        assertThat(PgOrderedSetFunctions.jsonAgg(List.of("tab\there", "\u0001"))).isEqualTo("[\"tab\\there\", \"\\u0001\"]");
        assertThat(PgOrderedSetFunctions.jsonAgg(List.of())).isNull();
    }

    @Test
    void ntileGivesTheFirstBucketsTheExtraRows()
    {
        // ntile(4) over 10 rows: 1 1 1 2 2 2 3 3 4 4; ntile(20) over 10 rows: one row per bucket
        int[] buckets = new int[10];
        for (int row = 1; row <= 10; row++) {
            buckets[row - 1] = PgNtile.bucket(4, (long) row, 10L);
        }
        assertThat(buckets).containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 4, 4);
        assertThat(PgNtile.bucket(20, 7L, 10L)).isEqualTo(7);
        assertThat(PgNtile.bucket(3, 5L, 5L)).isEqualTo(3);
        assertThat(PgNtile.bucket(null, 1L, 1L)).isNull();
        assertThatThrownBy(() -> PgNtile.bucket(0, 1L, 2L))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22014"))
                .hasMessage("argument of ntile must be greater than zero");
    }
}
