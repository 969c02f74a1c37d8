package dev.sekisho.connectors.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BigQuery's types as PostgreSQL's (the table is in {@code docs/bigquery-types.md}) and BigQuery's
 * values as the Java values of {@link ColumnType.Kind}.
 */
final class BigQueryTypeMapping
{
    /** NUMERIC is DECIMAL(38, 9) in BigQuery. */
    static final ColumnType NUMERIC = ColumnType.decimal(38, 9);
    private static final ObjectMapper JSON = new ObjectMapper();

    private BigQueryTypeMapping() {}

    /** The type clients see for a column (REPEATED fields are arrays; STRUCT is JSON text; arrays of STRUCT are JSON arrays). */
    static ColumnType columnType(Field field)
    {
        ColumnType scalar = scalarType(field);
        if (field.getMode() == Field.Mode.REPEATED) {
            return scalar.kind() == Kind.JSON && isStruct(field) ? scalar : ColumnType.array(scalar);
        }
        return scalar;
    }

    /** BigQuery's own name of a column's type, for {@code sourceType} and messages (e.g. {@code ARRAY<INT64>}). */
    static String sourceType(Field field)
    {
        String scalar = standardType(field).name();
        if (isStruct(field)) {
            List<String> fields = new ArrayList<>();
            for (Field subField : field.getSubFields()) {
                fields.add(subField.getName() + " " + sourceType(subField));
            }
            scalar = "STRUCT<" + String.join(", ", fields) + ">";
        }
        return field.getMode() == Field.Mode.REPEATED ? "ARRAY<" + scalar + ">" : scalar;
    }

    private static ColumnType scalarType(Field field)
    {
        return switch (standardType(field)) {
            case INT64 -> ColumnType.of(Kind.BIGINT);
            case FLOAT64 -> ColumnType.of(Kind.DOUBLE);
            case NUMERIC -> NUMERIC;
            // up to 76.76 digits: PostgreSQL's numeric without a declared precision holds every value
            case BIGNUMERIC -> ColumnType.of(Kind.DECIMAL);
            case BOOL -> ColumnType.of(Kind.BOOLEAN);
            case STRING, GEOGRAPHY -> ColumnType.of(Kind.TEXT);
            case BYTES -> ColumnType.of(Kind.BINARY);
            case DATE -> ColumnType.of(Kind.DATE);
            case DATETIME -> ColumnType.timestamp(6);
            case TIME -> new ColumnType(Kind.TIME, 6, ColumnType.UNSPECIFIED);
            case TIMESTAMP -> new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, 6, ColumnType.UNSPECIFIED);
            case JSON, STRUCT -> ColumnType.of(Kind.JSON);
            // INTERVAL and RANGE: BigQuery's text, passed through
            default -> ColumnType.of(Kind.UNKNOWN);
        };
    }

    private static StandardSQLTypeName standardType(Field field)
    {
        LegacySQLTypeName type = field.getType();
        return type.getStandardType();
    }

    private static boolean isStruct(Field field)
    {
        return standardType(field) == StandardSQLTypeName.STRUCT;
    }

    /** The Java value of one cell, for the column's {@link #columnType}. */
    static Object value(Field field, FieldValue value)
    {
        if (value == null || value.isNull()) {
            return null;
        }
        if (field.getMode() == Field.Mode.REPEATED) {
            List<FieldValue> elements = value.getRepeatedValue();
            if (isStruct(field)) {
                List<Object> records = new ArrayList<>(elements.size());
                for (FieldValue element : elements) {
                    records.add(record(field.getSubFields(), element.getRecordValue()));
                }
                return json(records);
            }
            List<Object> values = new ArrayList<>(elements.size());
            for (FieldValue element : elements) {
                values.add(scalar(field, element));
            }
            return values;
        }
        if (isStruct(field)) {
            return json(record(field.getSubFields(), value.getRecordValue()));
        }
        return scalar(field, value);
    }

    private static Object scalar(Field field, FieldValue value)
    {
        if (value.isNull()) {
            return null;
        }
        return switch (standardType(field)) {
            case INT64 -> value.getLongValue();
            case FLOAT64 -> value.getDoubleValue();
            case NUMERIC, BIGNUMERIC -> value.getNumericValue();
            case BOOL -> value.getBooleanValue();
            case BYTES -> value.getBytesValue();
            case DATE -> LocalDate.parse(value.getStringValue());
            case DATETIME -> LocalDateTime.parse(value.getStringValue().replace(' ', 'T'));
            case TIME -> LocalTime.parse(value.getStringValue());
            case TIMESTAMP -> value.getTimestampInstant().atOffset(ZoneOffset.UTC);
            default -> value.getStringValue();
        };
    }

    /** A STRUCT as a JSON object: field names as keys, values as JSON types (INT64 as numbers, temporal values as text). */
    private static Map<String, Object> record(FieldList fields, FieldValueList values)
    {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            record.put(field.getName(), jsonValue(field, values.get(i)));
        }
        return record;
    }

    private static Object jsonValue(Field field, FieldValue value)
    {
        if (value == null || value.isNull()) {
            return null;
        }
        if (field.getMode() == Field.Mode.REPEATED) {
            List<Object> elements = new ArrayList<>();
            for (FieldValue element : value.getRepeatedValue()) {
                elements.add(isStruct(field) ? record(field.getSubFields(), element.getRecordValue()) : jsonScalar(field, element));
            }
            return elements;
        }
        return isStruct(field) ? record(field.getSubFields(), value.getRecordValue()) : jsonScalar(field, value);
    }

    private static Object jsonScalar(Field field, FieldValue value)
    {
        if (value.isNull()) {
            return null;
        }
        return switch (standardType(field)) {
            case INT64 -> value.getLongValue();
            case FLOAT64 -> value.getDoubleValue();
            case NUMERIC, BIGNUMERIC -> value.getNumericValue();
            case BOOL -> value.getBooleanValue();
            case TIMESTAMP -> value.getTimestampInstant().toString();
            case JSON -> readJson(value.getStringValue());
            default -> value.getStringValue();
        };
    }

    private static Object readJson(String text)
    {
        try {
            return JSON.readTree(text);
        }
        catch (JsonProcessingException e) {
            return text;
        }
    }

    private static String json(Object value)
    {
        try {
            return JSON.writeValueAsString(value instanceof BigDecimal decimal ? decimal.toPlainString() : value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("a BigQuery record could not be written as JSON", e);
        }
    }
}
