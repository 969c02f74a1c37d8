package dev.sekisho.it.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.zetasql.ArrayType;
import com.google.zetasql.StructType;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.Value;
import com.google.zetasql.ZetaSQLType.TypeKind;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * GoogleSQL values and types in the shapes of BigQuery's REST API v2: table schemas
 * ({@code TableFieldSchema}), rows ({@code {"f": [{"v": ...}]}}), query parameters, and each
 * value's logical size as BigQuery prices it.
 */
final class BigQueryValues
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private BigQueryValues() {}

    /** A {@code TableFieldSchema}: the legacy type names the API reports, REPEATED for arrays, RECORD for structs. */
    static ObjectNode field(String name, Type type, boolean geography, String description)
    {
        ObjectNode field = JSON.objectNode();
        field.put("name", name);
        Type scalar = type;
        if (type.getKind() == TypeKind.TYPE_ARRAY) {
            field.put("mode", "REPEATED");
            scalar = ((ArrayType) type).getElementType();
        }
        else {
            field.put("mode", "NULLABLE");
        }
        field.put("type", geography ? "GEOGRAPHY" : restType(scalar));
        if (scalar.getKind() == TypeKind.TYPE_STRUCT) {
            ArrayNode fields = field.putArray("fields");
            for (StructType.StructField structField : ((StructType) scalar).getFieldList()) {
                fields.add(field(structField.getName(), structField.getType(), false, null));
            }
        }
        if (description != null) {
            field.put("description", description);
        }
        return field;
    }

    private static String restType(Type type)
    {
        return switch (type.getKind()) {
            case TYPE_INT64 -> "INTEGER";
            case TYPE_DOUBLE -> "FLOAT";
            case TYPE_NUMERIC -> "NUMERIC";
            case TYPE_BIGNUMERIC -> "BIGNUMERIC";
            case TYPE_BOOL -> "BOOLEAN";
            case TYPE_STRING -> "STRING";
            case TYPE_BYTES -> "BYTES";
            case TYPE_DATE -> "DATE";
            case TYPE_DATETIME -> "DATETIME";
            case TYPE_TIME -> "TIME";
            case TYPE_TIMESTAMP -> "TIMESTAMP";
            case TYPE_JSON -> "JSON";
            case TYPE_INTERVAL -> "INTERVAL";
            case TYPE_STRUCT -> "RECORD";
            default -> throw new IllegalArgumentException("no BigQuery column type for " + type);
        };
    }

    /** One cell of a row as tabledata.list and jobs.getQueryResults write it. */
    static ObjectNode cell(Value value, boolean int64Timestamps)
    {
        ObjectNode cell = JSON.objectNode();
        cell.set("v", cellValue(value, int64Timestamps));
        return cell;
    }

    private static JsonNode cellValue(Value value, boolean int64Timestamps)
    {
        if (value.isNull()) {
            return JSON.nullNode();
        }
        return switch (value.getType().getKind()) {
            case TYPE_ARRAY -> {
                ArrayNode elements = JSON.arrayNode();
                value.getElementList().forEach(element -> elements.add(cell(element, int64Timestamps)));
                yield elements;
            }
            case TYPE_STRUCT -> {
                ObjectNode record = JSON.objectNode();
                ArrayNode fields = record.putArray("f");
                value.getFieldList().forEach(field -> fields.add(cell(field, int64Timestamps)));
                yield record;
            }
            case TYPE_TIMESTAMP -> {
                long micros = value.getTimestampUnixMicros();
                yield JSON.textNode(int64Timestamps ? Long.toString(micros) : Double.toString(micros / 1_000_000.0));
            }
            default -> JSON.textNode(text(value));
        };
    }

    /** A scalar value as BigQuery's JSON writes it. */
    static String text(Value value)
    {
        return switch (value.getType().getKind()) {
            case TYPE_INT64 -> Long.toString(value.getInt64Value());
            case TYPE_DOUBLE -> {
                double d = value.getDoubleValue();
                yield Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d);
            }
            case TYPE_NUMERIC -> value.getNumericValue().stripTrailingZeros().toPlainString();
            case TYPE_BIGNUMERIC -> value.getBigNumericValue().stripTrailingZeros().toPlainString();
            case TYPE_BOOL -> Boolean.toString(value.getBoolValue());
            case TYPE_STRING -> value.getStringValue();
            case TYPE_BYTES -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case TYPE_DATE -> value.getLocalDateValue().toString();
            case TYPE_DATETIME -> dateTime(value.getLocalDateTimeValue());
            case TYPE_TIME -> time(value.getLocalTimeValue());
            case TYPE_JSON -> value.getJsonValue();
            default -> throw new IllegalArgumentException("no BigQuery text for " + value.getType());
        };
    }

    private static String dateTime(LocalDateTime value)
    {
        return value.toLocalDate() + "T" + time(value.toLocalTime());
    }

    private static String time(LocalTime value)
    {
        String seconds = String.format("%02d:%02d:%02d", value.getHour(), value.getMinute(), value.getSecond());
        int micros = value.getNano() / 1000;
        return micros == 0 ? seconds : seconds + "." + String.format("%06d", micros);
    }

    /**
     * The logical bytes of a value as BigQuery prices them (its "data size calculation"): INT64,
     * FLOAT64, DATE, DATETIME, TIME and TIMESTAMP 8; NUMERIC 16; BIGNUMERIC 32; BOOL 1; STRING and
     * BYTES 2 + their UTF-8/byte length; JSON its UTF-8 length; GEOGRAPHY 16 + 24 per vertex;
     * ARRAY and STRUCT the sum of their parts; NULL 0.
     */
    static long size(Value value, boolean geography)
    {
        if (value.isNull()) {
            return 0;
        }
        if (geography) {
            String wkt = value.getStringValue();
            long numbers = java.util.Arrays.stream(wkt.split("[^0-9.eE+-]+")).filter(part -> !part.isEmpty()).count();
            return 16 + 24 * (numbers / 2);
        }
        return switch (value.getType().getKind()) {
            case TYPE_INT64, TYPE_DOUBLE, TYPE_DATE, TYPE_DATETIME, TYPE_TIME, TYPE_TIMESTAMP -> 8;
            case TYPE_NUMERIC, TYPE_INTERVAL -> 16;
            case TYPE_BIGNUMERIC -> 32;
            case TYPE_BOOL -> 1;
            case TYPE_STRING -> 2 + value.getStringValueBytes().size();
            case TYPE_BYTES -> 2 + value.getBytesValue().size();
            case TYPE_JSON -> value.getJsonValue().getBytes(StandardCharsets.UTF_8).length;
            case TYPE_ARRAY -> value.getElementList().stream().mapToLong(element -> size(element, false)).sum();
            case TYPE_STRUCT -> value.getFieldList().stream().mapToLong(field -> size(field, false)).sum();
            default -> throw new IllegalArgumentException("no size for " + value.getType());
        };
    }

    /** A value of a column's type from a Java value of a test's table (null, Long, String, List for arrays, Map for structs, ...). */
    static Value value(Type type, Object java)
    {
        if (java == null) {
            return Value.createNullValue(type);
        }
        return switch (type.getKind()) {
            case TYPE_INT64 -> Value.createInt64Value(((Number) java).longValue());
            case TYPE_DOUBLE -> Value.createDoubleValue(((Number) java).doubleValue());
            case TYPE_NUMERIC -> Value.createNumericValue((BigDecimal) java);
            case TYPE_BIGNUMERIC -> Value.createBigNumericValue((BigDecimal) java);
            case TYPE_BOOL -> Value.createBoolValue((Boolean) java);
            case TYPE_STRING -> Value.createStringValue((String) java);
            case TYPE_BYTES -> Value.createBytesValue(ByteString.copyFrom((byte[]) java));
            case TYPE_DATE -> Value.createDateValue((LocalDate) java);
            case TYPE_DATETIME -> Value.createDatetimeValue((LocalDateTime) java);
            case TYPE_TIME -> Value.createTimeValue((LocalTime) java);
            case TYPE_TIMESTAMP -> Value.createTimestampValueFromUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) java));
            case TYPE_JSON -> Value.createJsonValue((String) java);
            case TYPE_ARRAY -> {
                List<Value> elements = new ArrayList<>();
                for (Object element : (List<?>) java) {
                    elements.add(value(((ArrayType) type).getElementType(), element));
                }
                yield Value.createArrayValue((ArrayType) type, elements);
            }
            case TYPE_STRUCT -> {
                StructType struct = (StructType) type;
                Map<?, ?> fields = (Map<?, ?>) java;
                List<Value> values = new ArrayList<>();
                for (StructType.StructField field : struct.getFieldList()) {
                    values.add(value(field.getType(), fields.get(field.getName())));
                }
                yield Value.createStructValue(struct, values);
            }
            default -> throw new IllegalArgumentException("no fixture values of " + type);
        };
    }

    /** A query parameter of jobs.insert ({@code parameterType}, {@code parameterValue}) as a GoogleSQL value. */
    static Value parameter(JsonNode parameterType, JsonNode parameterValue)
    {
        Type type = parameterType(parameterType);
        return parameterValue(type, parameterValue);
    }

    private static Type parameterType(JsonNode parameterType)
    {
        String name = parameterType.path("type").asText();
        return switch (name) {
            case "ARRAY" -> TypeFactory.createArrayType(parameterType(parameterType.path("arrayType")));
            case "STRUCT" -> {
                List<StructType.StructField> fields = new ArrayList<>();
                for (JsonNode field : parameterType.path("structTypes")) {
                    fields.add(new StructType.StructField(field.path("name").asText(), parameterType(field.path("type"))));
                }
                yield TypeFactory.createStructType(fields);
            }
            default -> TypeFactory.createSimpleType(switch (name) {
                case "INT64" -> TypeKind.TYPE_INT64;
                case "FLOAT64" -> TypeKind.TYPE_DOUBLE;
                case "NUMERIC" -> TypeKind.TYPE_NUMERIC;
                case "BIGNUMERIC" -> TypeKind.TYPE_BIGNUMERIC;
                case "BOOL" -> TypeKind.TYPE_BOOL;
                case "STRING" -> TypeKind.TYPE_STRING;
                case "BYTES" -> TypeKind.TYPE_BYTES;
                case "DATE" -> TypeKind.TYPE_DATE;
                case "DATETIME" -> TypeKind.TYPE_DATETIME;
                case "TIME" -> TypeKind.TYPE_TIME;
                case "TIMESTAMP" -> TypeKind.TYPE_TIMESTAMP;
                case "JSON" -> TypeKind.TYPE_JSON;
                default -> throw new IllegalArgumentException("unsupported query parameter type " + name);
            });
        };
    }

    private static Value parameterValue(Type type, JsonNode parameterValue)
    {
        if (type.getKind() == TypeKind.TYPE_ARRAY) {
            JsonNode elements = parameterValue.path("arrayValues");
            if (parameterValue.isMissingNode() || parameterValue.isNull()) {
                return Value.createNullValue(type);
            }
            List<Value> values = new ArrayList<>();
            for (JsonNode element : elements) {
                values.add(parameterValue(((ArrayType) type).getElementType(), element));
            }
            return Value.createArrayValue((ArrayType) type, values);
        }
        JsonNode value = parameterValue.path("value");
        if (value.isMissingNode() || value.isNull()) {
            return Value.createNullValue(type);
        }
        String text = value.asText();
        return switch (type.getKind()) {
            case TYPE_INT64 -> Value.createInt64Value(Long.parseLong(text));
            case TYPE_DOUBLE -> Value.createDoubleValue(Double.parseDouble(text));
            case TYPE_NUMERIC -> Value.createNumericValue(new BigDecimal(text));
            case TYPE_BIGNUMERIC -> Value.createBigNumericValue(new BigDecimal(text));
            case TYPE_BOOL -> Value.createBoolValue(Boolean.parseBoolean(text));
            case TYPE_STRING -> Value.createStringValue(text);
            case TYPE_BYTES -> Value.createBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(text)));
            case TYPE_DATE -> Value.createDateValue(LocalDate.parse(text));
            case TYPE_DATETIME -> Value.createDatetimeValue(LocalDateTime.parse(text.replace(' ', 'T')));
            case TYPE_TIME -> Value.createTimeValue(LocalTime.parse(text));
            case TYPE_TIMESTAMP -> Value.createTimestampValueFromUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, timestamp(text)));
            case TYPE_JSON -> Value.createJsonValue(text);
            default -> throw new IllegalArgumentException("unsupported query parameter type " + type);
        };
    }

    /** BigQuery's timestamp parameter text: {@code 2024-01-02 03:04:05.123456+00:00} and similar. */
    private static Instant timestamp(String text)
    {
        String iso = text.trim().replace(' ', 'T');
        if (iso.endsWith("UTC")) {
            iso = iso.substring(0, iso.length() - 3).trim() + "Z";
        }
        if (!iso.endsWith("Z") && !iso.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            iso = iso + "Z";
        }
        return OffsetDateTime.parse(iso).toInstant();
    }
}
