package dev.sekisho.planner.policy;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.sql.Dialects;
import dev.sekisho.policies.mask.ReferenceMasks;
import dev.sekisho.policies.model.Mask;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

import static dev.sekisho.planner.spi.ColumnType.Kind.BIGINT;
import static dev.sekisho.planner.spi.ColumnType.Kind.CHAR;
import static dev.sekisho.planner.spi.ColumnType.Kind.DATE;
import static dev.sekisho.planner.spi.ColumnType.Kind.DECIMAL;
import static dev.sekisho.planner.spi.ColumnType.Kind.DOUBLE;
import static dev.sekisho.planner.spi.ColumnType.Kind.INTEGER;
import static dev.sekisho.planner.spi.ColumnType.Kind.REAL;
import static dev.sekisho.planner.spi.ColumnType.Kind.SMALLINT;
import static dev.sekisho.planner.spi.ColumnType.Kind.TEXT;
import static dev.sekisho.planner.spi.ColumnType.Kind.TIMESTAMP;
import static dev.sekisho.planner.spi.ColumnType.Kind.VARCHAR;

/**
 * The built-in masks as relational expressions over the raw column, built only from operators
 * that mean the same in MySQL/MariaDB, in BigQuery and in Calcite's local engine, so that a mask
 * gives the value {@link ReferenceMasks} defines wherever it runs:
 * <ul>
 * <li>{@code redact}: a literal of the column's type;</li>
 * <li>{@code partial}: {@code CASE WHEN CHAR_LENGTH(v) <= f + l THEN REPEAT(m, CHAR_LENGTH(v))
 *     ELSE SUBSTRING(v, 1, f) || REPEAT(m, CHAR_LENGTH(v) - f - l) || SUBSTRING(v, CHAR_LENGTH(v) - l + 1) END};</li>
 * <li>{@code email}: {@code CASE WHEN POSITION('@' IN REVERSE(v)) = 0 THEN '****'
 *     ELSE '****' || SUBSTRING(v, CHAR_LENGTH(v) - POSITION('@' IN REVERSE(v)) + 1) END};</li>
 * <li>{@code hash}: {@code SHA256(salt || v)}, the salt a bound parameter (MySQL {@code SHA2(CONCAT(?, v), 256)});</li>
 * <li>{@code nullify}: a typed NULL;</li>
 * <li>{@code year}: {@code FLOOR(v TO YEAR)} (MySQL {@code MAKEDATE(YEAR(v), 1)});</li>
 * <li>{@code round}: {@code ROUND(CAST(v AS DECIMAL) / step) * step}: exact decimal arithmetic,
 *     where ROUND takes halves away from zero in MySQL, BigQuery and Calcite alike;</li>
 * <li>{@code phone}: {@code REGEXP_REPLACE(v, '[0-9](?=(?:[^0-9]*[0-9]){4})', '*')}
 *     ({@link Dialects#PHONE_MASK_PATTERN}): every digit
 *     followed by at least four more digits (MySQL 8 ICU, MariaDB PCRE and Java regular
 *     expressions all have look-ahead).</li>
 * </ul>
 * Characters are counted as the engine counts them: MySQL counts Unicode characters, Calcite
 * UTF-16 units, so the two differ only for characters outside the Basic Multilingual Plane.
 */
final class MaskExpressions
{
    private static final Set<ColumnType.Kind> TEXT_KINDS = EnumSet.of(CHAR, VARCHAR, TEXT);
    private static final Set<ColumnType.Kind> INTEGER_KINDS = EnumSet.of(SMALLINT, INTEGER, BIGINT);
    private static final Set<ColumnType.Kind> NUMBER_KINDS = EnumSet.of(SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL);

    private MaskExpressions() {}

    /** Why the mask does not fit a column of that type, or empty if it fits ({@code sql} is checked by compiling it). */
    static Optional<String> misfit(Mask mask, ColumnType type)
    {
        ColumnType.Kind kind = type.kind();
        boolean fits = switch (mask.kind()) {
            case REDACT, NULLIFY, SQL -> true;
            case PARTIAL, EMAIL, PHONE -> TEXT_KINDS.contains(kind);
            case HASH -> TEXT_KINDS.contains(kind) || INTEGER_KINDS.contains(kind);
            case YEAR -> kind == DATE || kind == TIMESTAMP;
            case ROUND -> NUMBER_KINDS.contains(kind);
        };
        if (fits) {
            return Optional.empty();
        }
        String wanted = switch (mask.kind()) {
            case PARTIAL, EMAIL, PHONE -> "text columns (char, varchar, text)";
            case HASH -> "text and integer columns";
            case YEAR -> "date and timestamp columns";
            case ROUND -> "numeric columns";
            default -> "any column";
        };
        return Optional.of("mask %s does not fit column type %s: it applies to %s".formatted(mask.kind().key(), type, wanted));
    }

    /**
     * The masked value of {@code column} (a reference to the raw column of type {@code type}).
     *
     * @param salt the index of the salt's dynamic parameter, asked for only by {@code hash}
     * @throws IllegalArgumentException for {@code sql} masks, which are compiled from their text
     */
    static RexNode build(Mask mask, RexNode column, RexBuilder rexBuilder, IntSupplier salt)
    {
        RelDataType type = column.getType();
        return switch (mask.kind()) {
            case REDACT -> redact(type, rexBuilder);
            case NULLIFY -> rexBuilder.makeNullLiteral(rexBuilder.getTypeFactory().createTypeWithNullability(type, true));
            case PARTIAL -> partial((Mask.Partial) mask, column, rexBuilder);
            case EMAIL -> email(column, rexBuilder);
            case HASH -> hash(column, rexBuilder, salt.getAsInt());
            case YEAR -> rexBuilder.makeCall(SqlStdOperatorTable.FLOOR, column, rexBuilder.makeFlag(TimeUnitRange.YEAR));
            case ROUND -> round(((Mask.Round) mask).step(), column, rexBuilder);
            case PHONE -> rexBuilder.makeCall(SqlLibraryOperators.REGEXP_REPLACE_3, column, text(rexBuilder, Dialects.PHONE_MASK_PATTERN), text(rexBuilder, "*"));
            case SQL -> throw new IllegalArgumentException("sql masks are compiled from their expression");
        };
    }

    private static RexNode redact(RelDataType type, RexBuilder rexBuilder)
    {
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataType notNull = typeFactory.createTypeWithNullability(type, false);
        return switch (type.getSqlTypeName()) {
            case CHAR, VARCHAR -> text(rexBuilder, ReferenceMasks.REDACTED_TEXT);
            case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, FLOAT, DOUBLE -> rexBuilder.makeExactLiteral(BigDecimal.ZERO, notNull);
            case BOOLEAN -> rexBuilder.makeLiteral(false);
            case DATE -> rexBuilder.makeDateLiteral(DateString.fromDaysSinceEpoch((int) ReferenceMasks.REDACTED_DATE.toEpochDay()));
            case TIMESTAMP -> rexBuilder.makeTimestampLiteral(new TimestampString(1970, 1, 1, 0, 0, 0), Math.max(0, type.getPrecision()));
            case TIME -> rexBuilder.makeTimeLiteral(new TimeString(0, 0, 0), Math.max(0, type.getPrecision()));
            default -> rexBuilder.makeNullLiteral(typeFactory.createTypeWithNullability(type, true));
        };
    }

    private static RexNode partial(Mask.Partial mask, RexNode column, RexBuilder rexBuilder)
    {
        RexNode length = rexBuilder.makeCall(SqlStdOperatorTable.CHAR_LENGTH, column);
        RexNode maskChar = text(rexBuilder, mask.maskChar());
        int kept = mask.keepFirst() + mask.keepLast();
        RexNode whole = rexBuilder.makeCall(SqlLibraryOperators.REPEAT, maskChar, length);
        if (kept == 0) {
            return whole;
        }
        RexNode masked = rexBuilder.makeCall(SqlLibraryOperators.REPEAT, maskChar,
                rexBuilder.makeCall(SqlStdOperatorTable.MINUS, length, integer(rexBuilder, kept)));
        if (mask.keepFirst() > 0) {
            RexNode first = rexBuilder.makeCall(SqlStdOperatorTable.SUBSTRING, column, integer(rexBuilder, 1), integer(rexBuilder, mask.keepFirst()));
            masked = rexBuilder.makeCall(SqlStdOperatorTable.CONCAT, first, masked);
        }
        if (mask.keepLast() > 0) {
            RexNode from = rexBuilder.makeCall(SqlStdOperatorTable.PLUS,
                    rexBuilder.makeCall(SqlStdOperatorTable.MINUS, length, integer(rexBuilder, mask.keepLast())), integer(rexBuilder, 1));
            masked = rexBuilder.makeCall(SqlStdOperatorTable.CONCAT, masked, rexBuilder.makeCall(SqlStdOperatorTable.SUBSTRING, column, from));
        }
        RexNode short0 = rexBuilder.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, length, integer(rexBuilder, kept));
        return rexBuilder.makeCall(SqlStdOperatorTable.CASE, short0, whole, masked);
    }

    private static RexNode email(RexNode column, RexBuilder rexBuilder)
    {
        RexNode at = rexBuilder.makeCall(SqlStdOperatorTable.POSITION, text(rexBuilder, "@"), rexBuilder.makeCall(SqlLibraryOperators.REVERSE, column));
        RexNode length = rexBuilder.makeCall(SqlStdOperatorTable.CHAR_LENGTH, column);
        RexNode from = rexBuilder.makeCall(SqlStdOperatorTable.PLUS, rexBuilder.makeCall(SqlStdOperatorTable.MINUS, length, at), integer(rexBuilder, 1));
        RexNode domain = rexBuilder.makeCall(SqlStdOperatorTable.SUBSTRING, column, from);
        RexNode stars = text(rexBuilder, ReferenceMasks.REDACTED_TEXT);
        return rexBuilder.makeCall(SqlStdOperatorTable.CASE,
                rexBuilder.makeCall(SqlStdOperatorTable.EQUALS, at, integer(rexBuilder, 0)),
                stars,
                rexBuilder.makeCall(SqlStdOperatorTable.CONCAT, stars, domain));
    }

    private static RexNode hash(RexNode column, RexBuilder rexBuilder, int saltIndex)
    {
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataType varchar = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR), column.getType().isNullable());
        RexNode value = SqlTypeName.CHAR_TYPES.contains(column.getType().getSqlTypeName()) ? column : rexBuilder.makeCast(varchar, column);
        RexNode salt = rexBuilder.makeDynamicParam(typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR), false), saltIndex);
        return rexBuilder.makeCall(SqlLibraryOperators.SHA256, rexBuilder.makeCall(SqlStdOperatorTable.CONCAT, salt, value));
    }

    private static RexNode round(BigDecimal step, RexNode column, RexBuilder rexBuilder)
    {
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataType type = column.getType();
        RexNode decimal = column;
        if (type.getSqlTypeName() != SqlTypeName.DECIMAL) {
            boolean integer = SqlTypeName.INT_TYPES.contains(type.getSqlTypeName());
            // floating-point values are rounded as their decimal value with 10 fractional digits
            decimal = rexBuilder.makeCast(typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.DECIMAL, integer ? 19 : 38, integer ? 0 : 10), type.isNullable()), column);
        }
        RexNode stepLiteral = rexBuilder.makeExactLiteral(step);
        RexNode rounded = rexBuilder.makeCall(SqlStdOperatorTable.ROUND, rexBuilder.makeCall(SqlStdOperatorTable.DIVIDE, decimal, stepLiteral));
        RexNode result = rexBuilder.makeCall(SqlStdOperatorTable.MULTIPLY, rounded, stepLiteral);
        if (SqlTypeName.INT_TYPES.contains(type.getSqlTypeName()) && step.stripTrailingZeros().scale() <= 0) {
            return rexBuilder.makeCast(type, result);
        }
        if (type.getSqlTypeName() == SqlTypeName.DECIMAL && step.stripTrailingZeros().scale() <= type.getScale()) {
            // a masked numeric keeps its scale (12.50 stays 12.50); the precision grows by what
            // rounding up to the step can add (99,999.99 to the step 1000 is 100,000.00)
            int added = Math.max(1, step.precision() - step.scale()) + 1;
            int precision = Math.min(typeFactory.getTypeSystem().getMaxNumericPrecision(), type.getPrecision() + added);
            return rexBuilder.makeCast(typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.DECIMAL, precision, type.getScale()), type.isNullable()), result);
        }
        return result;
    }

    private static RexNode text(RexBuilder rexBuilder, String value)
    {
        return rexBuilder.makeLiteral(value);
    }

    private static RexNode integer(RexBuilder rexBuilder, int value)
    {
        return rexBuilder.makeExactLiteral(BigDecimal.valueOf(value));
    }
}
