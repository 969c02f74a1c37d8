package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Optional;

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
 * @param elementType for {@link Kind#ARRAY}: the type of the elements (never itself an array);
 *         empty for every other kind
 * @param namedType the source's own name for the type: always present for {@link Kind#ENUM}
 *         (with its labels); on a scalar kind, a domain over that kind (PostgreSQL's {@code CREATE DOMAIN})
 */
public record ColumnType(Kind kind, int length, int scale, Optional<ColumnType> elementType, Optional<NamedType> namedType)
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
        /** {@link List} of the element type's Java values (elements may be null); one-dimensional. */
        ARRAY,
        /** {@link String}: one of the labels of the {@link #namedType()}. */
        ENUM,
    }

    /**
     * A type the source defines by name.
     *
     * @param schema the schema the type belongs to, as the source spells it
     * @param name the type's name
     * @param labels for an enum: its labels in sort order; empty for a domain
     */
    public record NamedType(String schema, String name, List<String> labels)
    {
        public NamedType
        {
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
            labels = List.copyOf(labels);
        }
    }

    public ColumnType
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(elementType, "elementType is null");
        requireNonNull(namedType, "namedType is null");
        if ((kind == Kind.ARRAY) != elementType.isPresent()) {
            throw new IllegalArgumentException("an element type goes with ARRAY, and only with ARRAY: " + kind);
        }
        if (elementType.isPresent() && elementType.get().kind() == Kind.ARRAY) {
            throw new IllegalArgumentException("arrays of arrays are not supported");
        }
        if (kind == Kind.ENUM && (namedType.isEmpty() || namedType.get().labels().isEmpty())) {
            throw new IllegalArgumentException("an enum type needs a name and labels");
        }
        if (kind == Kind.ARRAY && namedType.isPresent()) {
            throw new IllegalArgumentException("an array type has no name of its own");
        }
        if (kind != Kind.ENUM && namedType.isPresent() && !namedType.get().labels().isEmpty()) {
            throw new IllegalArgumentException("only an enum type has labels");
        }
    }

    public ColumnType(Kind kind, int length, int scale)
    {
        this(kind, length, scale, Optional.empty(), Optional.empty());
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

    /** A one-dimensional array of {@code element}. */
    public static ColumnType array(ColumnType element)
    {
        return new ColumnType(Kind.ARRAY, UNSPECIFIED, UNSPECIFIED, Optional.of(element), Optional.empty());
    }

    /** An enum type the source defines, with its labels in sort order. */
    public static ColumnType enumeration(String schema, String name, List<String> labels)
    {
        return new ColumnType(Kind.ENUM, UNSPECIFIED, UNSPECIFIED, Optional.empty(), Optional.of(new NamedType(schema, name, labels)));
    }

    /** A domain over {@code base}: values are the base type's; the catalog shows the domain. */
    public static ColumnType domain(String schema, String name, ColumnType base)
    {
        if (base.kind() == Kind.ARRAY || base.kind() == Kind.ENUM || base.namedType().isPresent()) {
            throw new IllegalArgumentException("a domain is over a scalar built-in type: " + base);
        }
        return new ColumnType(base.kind(), base.length(), base.scale(), Optional.empty(), Optional.of(new NamedType(schema, name, List.of())));
    }

    /** Whether this is a domain over a built-in type. */
    public boolean isDomain()
    {
        return namedType.isPresent() && kind != Kind.ENUM;
    }

    /** The type without its domain: itself unless it is a domain. */
    public ColumnType withoutDomain()
    {
        return isDomain() ? new ColumnType(kind, length, scale) : this;
    }

    @Override
    public String toString()
    {
        if (kind == Kind.ARRAY) {
            return elementType.orElseThrow() + "[]";
        }
        if (namedType.isPresent()) {
            return namedType.get().schema() + "." + namedType.get().name();
        }
        if (length == UNSPECIFIED) {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + length + (scale == UNSPECIFIED ? "" : "," + scale) + ")";
    }
}
