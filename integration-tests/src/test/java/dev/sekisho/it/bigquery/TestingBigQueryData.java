package dev.sekisho.it.bigquery;

import com.google.zetasql.StructType;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLType.TypeKind;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixture's datasets, created once per JVM: {@code lake.orders} (a small fact table, partitioned
 * and clustered), {@code lake.all_types} (one column of every BigQuery type), a view, and
 * {@code lake.numbers} (0 to 999, whose cross join is a result of a million rows).
 */
public final class TestingBigQueryData
{
    public static final String SOURCE = "warehouse";

    private static boolean loaded;

    private TestingBigQueryData() {}

    public static Type type(TypeKind kind)
    {
        return TypeFactory.createSimpleType(kind);
    }

    /** The shared fixture with the test datasets. */
    public static synchronized TestingBigQueryServer fixture()
    {
        TestingBigQueryServer server = TestingBigQueryServer.shared();
        if (!loaded) {
            load(server);
            loaded = true;
        }
        return server;
    }

    private static void load(TestingBigQueryServer server)
    {
        server.table("lake", "orders")
                .description("Orders, copied from the shop every night")
                .column("id", type(TypeKind.TYPE_INT64), "order id")
                .column("customer_id", type(TypeKind.TYPE_INT64))
                .column("status", type(TypeKind.TYPE_STRING))
                .column("amount", type(TypeKind.TYPE_NUMERIC))
                .column("ordered_on", type(TypeKind.TYPE_DATE))
                .partitionedBy("ordered_on")
                .clusteredBy("customer_id")
                .rows(orders())
                .create();
        TestingBigQueryServer.TableBuilder numbers = server.table("lake", "numbers").column("n", type(TypeKind.TYPE_INT64));
        for (long n = 0; n < 1000; n++) {
            numbers.row(n);
        }
        numbers.create();
        server.table("lake", "paid_orders")
                .kind("VIEW")
                .column("id", type(TypeKind.TYPE_INT64))
                .column("amount", type(TypeKind.TYPE_NUMERIC))
                .row(1L, new BigDecimal("10.50"))
                .create();
        StructType struct = TypeFactory.createStructType(List.of(
                new StructType.StructField("name", type(TypeKind.TYPE_STRING)),
                new StructType.StructField("qty", type(TypeKind.TYPE_INT64))));
        Map<String, Object> structValue = new LinkedHashMap<>();
        structValue.put("name", "pen");
        structValue.put("qty", 3L);
        server.table("lake", "all_types")
                .column("c_int64", type(TypeKind.TYPE_INT64))
                .column("c_float64", type(TypeKind.TYPE_DOUBLE))
                .column("c_numeric", type(TypeKind.TYPE_NUMERIC))
                .column("c_bignumeric", type(TypeKind.TYPE_BIGNUMERIC))
                .column("c_bool", type(TypeKind.TYPE_BOOL))
                .column("c_string", type(TypeKind.TYPE_STRING))
                .column("c_bytes", type(TypeKind.TYPE_BYTES))
                .column("c_date", type(TypeKind.TYPE_DATE))
                .column("c_datetime", type(TypeKind.TYPE_DATETIME))
                .column("c_time", type(TypeKind.TYPE_TIME))
                .column("c_timestamp", type(TypeKind.TYPE_TIMESTAMP))
                .column("c_json", type(TypeKind.TYPE_JSON))
                .geographyColumn("c_geography")
                .column("c_array", TypeFactory.createArrayType(type(TypeKind.TYPE_INT64)))
                .column("c_struct", struct)
                .row(9007199254740993L, 1.5, new BigDecimal("12345678901234567890.123456789"), new BigDecimal("123456789012345678901234567890123456.5"),
                        true, "佐藤 it's", "\u0000\u00ffab".getBytes(StandardCharsets.ISO_8859_1), LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123456000), LocalTime.of(23, 59, 58, 500000000),
                        Instant.parse("2024-03-01T01:02:03.456789Z"), "{\"a\":[1,2]}", "POINT(139.69 35.69)", List.of(1L, 2L, 3L), structValue)
                .row(null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(), null)
                .create();
    }

    /** 20 orders of 4 customers: id, customer_id, status, amount, ordered_on. */
    public static List<List<Object>> orders()
    {
        List<List<Object>> rows = new ArrayList<>();
        String[] statuses = {"paid", "shipped", "cancelled", "paid"};
        for (long id = 1; id <= 20; id++) {
            rows.add(List.of(id, id % 4 + 1, statuses[(int) (id % 4)], new BigDecimal(id * 10 + ".25"), LocalDate.of(2024, 1, (int) id)));
        }
        return rows;
    }
}
