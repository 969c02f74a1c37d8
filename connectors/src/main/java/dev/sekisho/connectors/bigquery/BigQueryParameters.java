package dev.sekisho.connectors.bigquery;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The values bound to a statement's {@code ?} placeholders as BigQuery positional query parameters,
 * typed by the planner's parameter types. Values never become SQL text.
 */
final class BigQueryParameters
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final BigDecimal NUMERIC_MAX = new BigDecimal("99999999999999999999999999999.999999999");

    private BigQueryParameters() {}

    static List<QueryParameterValue> of(List<Object> values, List<ColumnType> types)
    {
        List<QueryParameterValue> parameters = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            parameters.add(parameter(values.get(i), types.get(i)));
        }
        return parameters;
    }

    private static QueryParameterValue parameter(Object value, ColumnType type)
    {
        if (type.kind() == ColumnType.Kind.ARRAY) {
            ColumnType element = type.elementType().orElseThrow();
            StandardSQLTypeName elementType = standardType(element);
            if (value == null) {
                return QueryParameterValue.newBuilder().setType(StandardSQLTypeName.ARRAY).setArrayType(elementType).build();
            }
            List<QueryParameterValue> elements = new ArrayList<>();
            for (Object item : (List<?>) value) {
                elements.add(parameter(item, element));
            }
            return QueryParameterValue.newBuilder().setType(StandardSQLTypeName.ARRAY).setArrayType(elementType).setArrayValues(elements).build();
        }
        StandardSQLTypeName standard = standardType(type);
        if (standard == StandardSQLTypeName.NUMERIC && value instanceof BigDecimal decimal
                && (decimal.abs().compareTo(NUMERIC_MAX) > 0 || decimal.scale() > 9)) {
            // beyond NUMERIC's 29.9 digits: BIGNUMERIC keeps the value exact
            standard = StandardSQLTypeName.BIGNUMERIC;
        }
        return QueryParameterValue.newBuilder().setType(standard).setValue(value == null ? null : text(value, standard)).build();
    }

    private static StandardSQLTypeName standardType(ColumnType type)
    {
        return switch (type.kind()) {
            case BOOLEAN -> StandardSQLTypeName.BOOL;
            case SMALLINT, INTEGER, BIGINT -> StandardSQLTypeName.INT64;
            case REAL, DOUBLE -> StandardSQLTypeName.FLOAT64;
            case DECIMAL -> StandardSQLTypeName.NUMERIC;
            case DATE -> StandardSQLTypeName.DATE;
            case TIME -> StandardSQLTypeName.TIME;
            case TIMESTAMP -> StandardSQLTypeName.DATETIME;
            case TIMESTAMP_WITH_TIME_ZONE -> StandardSQLTypeName.TIMESTAMP;
            case BINARY -> StandardSQLTypeName.BYTES;
            case JSON -> StandardSQLTypeName.JSON;
            case CHAR, VARCHAR, TEXT, UUID, ENUM, UNKNOWN -> StandardSQLTypeName.STRING;
            case ARRAY -> throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "arrays of arrays cannot be BigQuery parameters");
        };
    }

    private static String text(Object value, StandardSQLTypeName type)
    {
        return switch (type) {
            case BYTES -> java.util.Base64.getEncoder().encodeToString((byte[]) value);
            case NUMERIC, BIGNUMERIC -> value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
            case TIMESTAMP -> ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMP);
            case DATETIME -> ((LocalDateTime) value).toString();
            case DATE -> ((LocalDate) value).toString();
            case TIME -> ((LocalTime) value).toString();
            default -> value.toString();
        };
    }
}
