package dev.sekisho.connectors.jdbc;

/**
 * Where the current row's values lie in the bytes a driver received for the row, for a driver that
 * keeps each row as the protocol's bytes with every value a length-prefixed string (MySQL's text
 * protocol), so that a value's text is read in place instead of being copied out column by column.
 * Only a driver-specific look inside the result set can tell; where none is known ({@link #NONE})
 * every value is asked of the result set. Used by the thread that reads the result.
 */
@FunctionalInterface
public interface RowBytes
{
    /** For a driver whose rows cannot be read in place. */
    RowBytes NONE = (offsets, lengths) -> null;

    /**
     * The current row's bytes, with {@code offsets[i]} and {@code lengths[i]} set to where column
     * {@code i}'s value lies ({@code lengths[i] == -1}: SQL NULL), for as many columns as the arrays
     * have; or null when this row cannot be read that way (then ask the result set). The array is
     * the driver's: it is only read, and only until the result set moves to another row.
     */
    byte[] locate(int[] offsets, int[] lengths);
}
