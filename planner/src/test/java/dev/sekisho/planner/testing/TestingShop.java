package dev.sekisho.planner.testing;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingConnector.notNullColumn;

/** The sample shop that planner tests run against. */
public final class TestingShop
{
    private TestingShop() {}

    public static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    /** A MySQL source "shopdb" with schema "shop" (customers, orders). */
    public static TestingConnector mysqlShop()
    {
        TestingConnector connector = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        addCustomers(connector, "shop");
        addOrders(connector, "shop");
        return connector;
    }

    public static void addCustomers(TestingConnector connector, String schema)
    {
        connector.addTable(schema, "customers", List.of(
                        notNullColumn("id", ColumnType.of(Kind.INTEGER)),
                        column("name", ColumnType.varchar(100)),
                        column("email", ColumnType.varchar(255)),
                        column("region", ColumnType.character(2)),
                        column("active", ColumnType.of(Kind.BOOLEAN)),
                        column("profile", ColumnType.of(Kind.JSON)),
                        column("created_at", ColumnType.timestamp(0)),
                        column("bio", ColumnType.of(Kind.TEXT))),
                List.of(
                        row(1, "Alice", "alice@example.com", "JP", true, "{\"a\":1}", LocalDateTime.of(2024, 1, 1, 10, 0), "hello"),
                        row(2, "Bob", "bob@example.com", "US", false, null, LocalDateTime.of(2024, 2, 1, 11, 0), null),
                        row(3, "Carol", null, "JP", true, null, LocalDateTime.of(2024, 3, 1, 12, 0), "hi")));
    }

    public static void addOrders(TestingConnector connector, String schema)
    {
        connector.addTable(schema, "orders", List.of(
                        notNullColumn("id", ColumnType.of(Kind.INTEGER)),
                        notNullColumn("customer_id", ColumnType.of(Kind.INTEGER)),
                        column("amount", ColumnType.decimal(10, 2)),
                        column("quantity", ColumnType.of(Kind.INTEGER)),
                        column("ordered_on", ColumnType.of(Kind.DATE))),
                List.of(
                        row(10, 1, new BigDecimal("12.50"), 1, LocalDate.of(2024, 4, 1)),
                        row(11, 1, new BigDecimal("7.25"), 3, LocalDate.of(2024, 4, 2)),
                        row(12, 2, new BigDecimal("100.00"), 2, LocalDate.of(2024, 4, 3)),
                        row(13, 3, null, null, null)));
    }

    /** Every row of a result, closing it. */
    public static List<List<Object>> readAll(ResultStream stream)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (stream) {
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    row.add(stream.value(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    public static ExecutionContext context()
    {
        return context("tester");
    }

    /** An execution context of {@code user} that is never cancelled. */
    public static ExecutionContext context(String user)
    {
        return ExecutionContext.uncancellable(user);
    }
}
