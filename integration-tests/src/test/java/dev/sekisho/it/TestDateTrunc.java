package dev.sekisho.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code date_trunc} through the gateway (pushed down to MariaDB) groups {@code shop.orders} as
 * PostgreSQL would: the same groups and counts as the order dates read straight from MariaDB,
 * truncated here with PostgreSQL's rules (ISO weeks from Monday).
 */
class TestDateTrunc
{
    @Test
    void groupsOrdersByEachUnitAsPostgresql()
            throws SQLException
    {
        List<LocalDateTime> orderedAt = new ArrayList<>();
        try (Connection direct = TestingGateway.shared().connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("select ordered_at from orders")) {
            while (rows.next()) {
                orderedAt.add(rows.getObject(1, LocalDateTime.class));
            }
        }
        assertThat(orderedAt).hasSizeGreaterThan(100);

        try (Connection gateway = TestingGateway.shared().connect("alice");
                Statement statement = gateway.createStatement()) {
            for (String unit : List.of("year", "quarter", "month", "week", "day")) {
                Map<LocalDateTime, Long> expected = new TreeMap<>();
                for (LocalDateTime value : orderedAt) {
                    expected.merge(truncate(unit, value), 1L, Long::sum);
                }
                Map<LocalDateTime, Long> actual = new TreeMap<>();
                List<LocalDateTime> order = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("select date_trunc('" + unit + "', ordered_at), count(*) from shop.orders group by 1 order by 1")) {
                    assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("timestamp");
                    while (rows.next()) {
                        LocalDateTime start = rows.getObject(1, LocalDateTime.class);
                        actual.put(start, rows.getLong(2));
                        order.add(start);
                    }
                }
                assertThat(actual).as(unit).isEqualTo(expected);
                assertThat(order).as(unit).isSorted();
            }
        }
    }

    private static LocalDateTime truncate(String unit, LocalDateTime value)
    {
        LocalDateTime day = value.truncatedTo(ChronoUnit.DAYS);
        return switch (unit) {
            case "year" -> day.withDayOfYear(1);
            case "quarter" -> day.withDayOfMonth(1).withMonth((value.getMonthValue() - 1) / 3 * 3 + 1);
            case "month" -> day.withDayOfMonth(1);
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "day" -> day;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
