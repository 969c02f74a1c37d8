package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.message.FormatCodes;
import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How a result's columns go into DataRows: each column's wire type, whether it is sent in binary,
 * and whether its text depends on the session's time zone. Worked out from the columns and the
 * Bind's result formats alone; a connection runs the same few statements again and again, so
 * {@link Memo} keeps the last one rather than looking every column's type up per statement.
 * Immutable once made: the arrays are never written after {@link #of}, and {@link PgRowSink} only
 * reads them.
 */
final class PgColumnEncodings
{
    final PgWireType[] types;
    final boolean[] binary;
    final boolean[] zoned;

    private PgColumnEncodings(PgWireType[] types, boolean[] binary, boolean[] zoned)
    {
        this.types = types;
        this.binary = binary;
        this.zoned = zoned;
    }

    /** The encodings of {@code columns} in {@code formats}; 0A000 for a binary column whose type has no binary output. */
    static PgColumnEncodings of(List<ResultColumn> columns, List<Integer> formats)
    {
        PgWireType[] types = new PgWireType[columns.size()];
        boolean[] binary = new boolean[columns.size()];
        boolean[] zoned = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            types[i] = PgTypes.of(columns.get(i));
            binary[i] = FormatCodes.format(formats, i) == FormatCodes.BINARY;
            zoned[i] = types[i] == PgType.TIMESTAMPTZ;
            if (binary[i] && !types[i].hasBinary()) {
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "no binary output function available for type " + types[i].displayName()
                        + " (column \"" + columns.get(i).name() + "\"); request text format for this column");
            }
        }
        return new PgColumnEncodings(types, binary, zoned);
    }

    /**
     * The last columns and formats asked about and their encodings: equal columns and formats
     * (the same plan's list, compared by {@link List#equals}, which answers at once for the same
     * immutable list) get the same encodings. One per connection, used by its one task at a time.
     */
    static final class Memo
    {
        private List<ResultColumn> columns;
        private List<Integer> formats;
        private PgColumnEncodings encodings;

        PgColumnEncodings of(List<ResultColumn> columns, List<Integer> formats)
        {
            requireNonNull(columns, "columns is null");
            requireNonNull(formats, "formats is null");
            if (encodings != null && columns.equals(this.columns) && formats.equals(this.formats)) {
                return encodings;
            }
            PgColumnEncodings made = PgColumnEncodings.of(columns, formats);
            // kept as immutable copies (the lists a plan and a Bind hand out are immutable already: then no copy is made),
            // so that a list changed after it was asked about is never mistaken for the one the encodings were made of
            this.columns = List.copyOf(columns);
            this.formats = List.copyOf(formats);
            this.encodings = made;
            return made;
        }
    }
}
