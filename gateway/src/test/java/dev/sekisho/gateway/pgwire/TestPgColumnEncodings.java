package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection's memo of column encodings answers exactly what working them out again would. */
class TestPgColumnEncodings
{
    private static final List<ResultColumn> COLUMNS = List.of(ResultColumn.of("id", ColumnType.of(ColumnType.Kind.INTEGER)),
            ResultColumn.of("name", ColumnType.varchar(200)), ResultColumn.of("at", ColumnType.of(ColumnType.Kind.TIMESTAMP_WITH_TIME_ZONE)));

    @Test
    void theSameColumnsAndFormatsGetTheSameEncodings()
    {
        PgColumnEncodings.Memo memo = new PgColumnEncodings.Memo();
        PgColumnEncodings first = memo.of(COLUMNS, List.of());
        assertThat(memo.of(COLUMNS, List.of())).isSameAs(first);
        // an equal list of columns (another plan of the same statement) and equal formats (another Bind)
        assertThat(memo.of(new ArrayList<>(COLUMNS), new ArrayList<>())).isSameAs(first);
        assertEncodings(first, COLUMNS, List.of());
    }

    @Test
    void otherFormatsOrColumnsAreWorkedOutAgain()
    {
        PgColumnEncodings.Memo memo = new PgColumnEncodings.Memo();
        PgColumnEncodings text = memo.of(COLUMNS, List.of());
        PgColumnEncodings binary = memo.of(COLUMNS, List.of(1));
        assertThat(binary).isNotSameAs(text);
        assertEncodings(binary, COLUMNS, List.of(1));
        PgColumnEncodings mixed = memo.of(COLUMNS, List.of(1, 0, 1));
        assertEncodings(mixed, COLUMNS, List.of(1, 0, 1));

        // the same names, another type: never the encodings of the columns before
        List<ResultColumn> retyped = List.of(ResultColumn.of("id", ColumnType.of(ColumnType.Kind.BIGINT)), COLUMNS.get(1), COLUMNS.get(2));
        PgColumnEncodings other = memo.of(retyped, List.of(1, 0, 1));
        assertThat(other.types[0]).isEqualTo(PgType.INT8);
        assertEncodings(other, retyped, List.of(1, 0, 1));
        // and back: the first columns' encodings again
        assertEncodings(memo.of(COLUMNS, List.of()), COLUMNS, List.of());
        assertThat(text.types[0]).isEqualTo(PgType.INT4);
        assertThat(text.zoned).containsExactly(false, false, true);
    }

    @Test
    void aListChangedAfterItWasAskedAboutIsNotMistakenForTheOneBefore()
    {
        PgColumnEncodings.Memo memo = new PgColumnEncodings.Memo();
        List<ResultColumn> columns = new ArrayList<>(COLUMNS);
        List<Integer> formats = new ArrayList<>(List.of(0));
        memo.of(columns, formats);
        columns.set(0, ResultColumn.of("id", ColumnType.of(ColumnType.Kind.BIGINT)));
        formats.set(0, 1);
        PgColumnEncodings changed = memo.of(columns, formats);
        assertThat(changed.types[0]).isEqualTo(PgType.INT8);
        assertEncodings(changed, columns, formats);
    }

    @Test
    void aColumnWithoutBinaryOutputIsRefusedEveryTimeItIsAskedInBinary()
    {
        int oid = IntStream.range(1, 10_000).filter(candidate -> PgTypes.forOid(candidate).filter(type -> !type.hasBinary()).isPresent())
                .findFirst().orElseThrow();
        List<ResultColumn> columns = List.of(new ResultColumn("plan", ColumnType.of(ColumnType.Kind.TEXT), Optional.empty(), oid));
        PgColumnEncodings.Memo memo = new PgColumnEncodings.Memo();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> memo.of(columns, List.of(1)))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("no binary output function available for type")
                    .hasMessageContaining("(column \"plan\")");
        }
        assertEncodings(memo.of(columns, List.of(0)), columns, List.of(0));
    }

    /** The encodings are what the columns and formats give, worked out from scratch. */
    private static void assertEncodings(PgColumnEncodings encodings, List<ResultColumn> columns, List<Integer> formats)
    {
        assertThat(encodings.types).hasSize(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            PgWireType type = PgTypes.of(columns.get(i));
            assertThat(encodings.types[i]).isEqualTo(type);
            int format = formats.isEmpty() ? 0 : formats.size() == 1 ? formats.get(0) : formats.get(i);
            assertThat(encodings.binary[i]).isEqualTo(format == 1);
            assertThat(encodings.zoned[i]).isEqualTo(type == PgType.TIMESTAMPTZ);
        }
    }
}
