package dev.sekisho.planner.spi;

import static java.util.Objects.requireNonNull;

/**
 * A type as Sekisho presents it to clients: PostgreSQL's vocabulary, independent of any source.
 * Connectors map their native types onto these; the gateway maps these onto PostgreSQL OIDs.
 *
 * @param kind the type
 * @param length for {@link Kind#CHAR} and {@link Kind#VARCHAR}: the declared length, or
 *         {@link #UNSPECIFIED}; for {@link Kind#DECIMAL}: the precision, or {@link #UNSPECIFIED};
 *         for time types: fractional-second digits, or {@link #UNSPECIFIED}
 * @param scale for {@link Kind#DECIMAL}: the scale, or {@link #UNSPECIFIED}
 */
public record ColumnType(Kind kind, int length, int scale)
{
    public static final int UNSPECIFIED = -1;

    /**
     * The types, each with the Java class a {@link ResultStream} returns for it.
     */
    public enum Kind
    {
        /** {@link Boolean}. */
        BOOLEAN,
        /** {@link Short}. */
        SMALLINT,
        /** {@link Integer}. */
        INTEGER,
        /** {@link Long}. */
        BIGINT,
        /** {@link Float}. */
        REAL,
        /** {@link Double}. */
        DOUBLE,
        /** {@link java.math.BigDecimal}. */
        DECIMAL,
        /** {@link String}, blank-padded. */
        CHAR,
        /** {@link String}. */
        VARCHAR,
        /** {@link String}, no length. */
        TEXT,
        /** {@link java.time.LocalDate}. */
        DATE,
        /** {@link java.time.LocalTime}. */
        TIME,
        /** {@link java.time.LocalDateTime}. */
        TIMESTAMP,
        /** {@link java.time.OffsetDateTime}. */
        TIMESTAMP_WITH_TIME_ZONE,
        /** {@code byte[]}. */
        BINARY,
        /** {@link String} holding a JSON document. */
        JSON,
        /** {@link java.util.UUID}. */
        UUID,
        /** {@link String}: a type Sekisho does not know, passed as text. */
        UNKNOWN,
    }

    public ColumnType
    {
        requireNonNull(kind, "kind is null");
    }

    public static ColumnType of(Kind kind)
    {
        return new ColumnType(kind, UNSPECIFIED, UNSPECIFIED);
    }

    public static ColumnType varchar(int length)
    {
        return new ColumnType(Kind.VARCHAR, length, UNSPECIFIED);
    }

    public static ColumnType character(int length)
    {
        return new ColumnType(Kind.CHAR, length, UNSPECIFIED);
    }

    public static ColumnType decimal(int precision, int scale)
    {
        return new ColumnType(Kind.DECIMAL, precision, scale);
    }

    public static ColumnType timestamp(int fractionalDigits)
    {
        return new ColumnType(Kind.TIMESTAMP, fractionalDigits, UNSPECIFIED);
    }

    @Override
    public String toString()
    {
        if (length == UNSPECIFIED) {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + length + (scale == UNSPECIFIED ? "" : "," + scale) + ")";
    }
}
