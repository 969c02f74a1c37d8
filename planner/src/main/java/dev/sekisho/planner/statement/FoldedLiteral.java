package dev.sekisho.planner.statement;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.policies.sql.SqlToken;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A literal of the client's text that became a parameter of the normalised statement: its value,
 * and the type it is declared with (a number's own type; {@code UNKNOWN} for a string, so that the
 * planner infers the type from what it is compared with, as PostgreSQL types an unknown literal).
 *
 * @param text the literal as written
 * @param declaredType the parameter's declared type
 * @param value the literal's value: Integer, Long or BigDecimal for a number, String for a string
 */
public record FoldedLiteral(String text, ColumnType declaredType, Object value)
{
    public FoldedLiteral
    {
        requireNonNull(text, "text is null");
        requireNonNull(declaredType, "declaredType is null");
        requireNonNull(value, "value is null");
        if (!(value instanceof String) && !(value instanceof Integer) && !(value instanceof Long) && !(value instanceof BigDecimal)) {
            throw new IllegalArgumentException("a folded literal is a string or a number: " + value.getClass());
        }
    }

    /** The literal a token is, when it may be folded: a number, or a plain {@code '...'} string; empty for any other token. */
    public static Optional<FoldedLiteral> of(SqlToken token)
    {
        if (token.kind() == SqlToken.Kind.NUMBER) {
            return number(token.text());
        }
        if (token.kind() == SqlToken.Kind.STRING && token.text().charAt(0) == '\'' && token.text().length() >= 2 && token.text().endsWith("'")) {
            return Optional.of(string(token.text(), token.value()));
        }
        return Optional.empty();
    }

    /** A number as PostgreSQL types it: integer, bigint, else numeric. */
    static Optional<FoldedLiteral> number(String text)
    {
        try {
            if (allDigits(text) && text.length() <= 18) {
                // below 10^18: a long holds it; the types as below
                long value = Long.parseLong(text);
                return Optional.of(value <= Integer.MAX_VALUE
                        ? new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.INTEGER), (int) value)
                        : new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.BIGINT), value));
            }
            if (allDigits(text)) {
                BigInteger integer = new BigInteger(text);
                if (integer.bitLength() < 32) {
                    return Optional.of(new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.INTEGER), integer.intValue()));
                }
                if (integer.bitLength() < 64) {
                    return Optional.of(new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.BIGINT), integer.longValue()));
                }
            }
            BigDecimal decimal = new BigDecimal(text);
            return Optional.of(new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.DECIMAL), decimal));
        }
        catch (NumberFormatException e) {
            // hexadecimal, binary, underscores: left in the text
            return Optional.empty();
        }
    }

    private static boolean allDigits(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A plain string, its type left to the planner. */
    static FoldedLiteral string(String text, String value)
    {
        return new FoldedLiteral(text, ColumnType.of(ColumnType.Kind.UNKNOWN), value);
    }

    /**
     * The value as the type the plan gave its parameter, the way PostgreSQL reads a literal of that
     * type; empty when this value cannot be read so (the statement is then planned as written,
     * whose error or result is the right one).
     */
    public Optional<Object> as(ColumnType type)
    {
        try {
            return Optional.ofNullable(convert(type));
        }
        catch (ArithmeticException | DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Object convert(ColumnType type)
    {
        if (value instanceof String string) {
            return switch (type.kind()) {
                case CHAR, VARCHAR, TEXT, UNKNOWN, JSON -> string;
                case ENUM -> type.namedType().orElseThrow().labels().contains(string) ? string : null;
                case DATE -> LocalDate.parse(string.strip());
                case TIMESTAMP -> LocalDateTime.parse(string.strip().replace(' ', 'T'));
                case TIME -> LocalTime.parse(string.strip());
                case UUID -> UUID.fromString(string.strip());
                // PostgreSQL reads an unknown literal compared with a number as that number
                case SMALLINT -> Short.parseShort(string.strip());
                case INTEGER -> Integer.parseInt(string.strip());
                case BIGINT -> Long.parseLong(string.strip());
                case DECIMAL -> new BigDecimal(string.strip());
                default -> null;
            };
        }
        // the common case, a whole number compared with a column of its own type: the value as it is
        if (value instanceof Integer && type.kind() == ColumnType.Kind.INTEGER || value instanceof Long && type.kind() == ColumnType.Kind.BIGINT) {
            return value;
        }
        BigDecimal number = value instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf(((Number) value).longValue());
        return switch (type.kind()) {
            case SMALLINT -> number.shortValueExact();
            case INTEGER -> number.intValueExact();
            case BIGINT -> number.longValueExact();
            case DECIMAL -> number;
            // a number compared with a float column: PostgreSQL converts it as the float type does
            case REAL -> number.floatValue();
            case DOUBLE -> number.doubleValue();
            default -> null;
        };
    }
}
