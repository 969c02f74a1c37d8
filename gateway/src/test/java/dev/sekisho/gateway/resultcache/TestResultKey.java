package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.SourceTable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestResultKey
{
    private static final String SQL = "SELECT `name` FROM `shop`.`customers` WHERE `id` = ?";
    private static final List<ColumnType> INTEGER = List.of(ColumnType.of(ColumnType.Kind.INTEGER));
    private static final List<SourceTable> CUSTOMERS = List.of(new SourceTable("shop", "customers"));

    private static ResultKey key(String source, String sql, List<Object> values, List<ColumnType> types, List<SourceTable> tables)
    {
        return new ResultKey(new BackendQuery(source, sql, values, types, tables));
    }

    @Test
    void keysAreEqualExactlyWhenTheStatementsAre()
    {
        ResultKey key = key("shopdb", SQL, List.of(7), INTEGER, CUSTOMERS);
        // the same statement built from other instances (a text read again, another plan) is the same key
        ResultKey copy = key("shopdb", new String(SQL.toCharArray()), List.of(7), List.of(ColumnType.of(ColumnType.Kind.INTEGER)),
                List.of(new SourceTable("shop", "customers")));
        assertThat(copy).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(copy.equals(key)).isEqualTo(copy.query().equals(key.query()));

        List<ResultKey> others = List.of(
                key("otherdb", SQL, List.of(7), INTEGER, CUSTOMERS),
                key("shopdb", SQL.replace("`name`", "`email`"), List.of(7), INTEGER, CUSTOMERS),
                key("shopdb", SQL, List.of(8), INTEGER, CUSTOMERS),
                key("shopdb", SQL, List.of(7L), INTEGER, CUSTOMERS),
                key("shopdb", SQL, Arrays.asList((Object) null), INTEGER, CUSTOMERS),
                key("shopdb", SQL, List.of(7), List.of(ColumnType.of(ColumnType.Kind.BIGINT)), CUSTOMERS),
                key("shopdb", SQL, List.of(7), INTEGER, List.of(new SourceTable("shop", "orders"))));
        for (ResultKey other : others) {
            assertThat(other).as(other.toString()).isNotEqualTo(key);
            assertThat(key).as(other.toString()).isNotEqualTo(other);
            assertThat(other.equals(key)).isEqualTo(other.query().equals(key.query()));
        }
    }

    @Test
    void aNullValueHashesAndCompares()
    {
        ResultKey key = key("shopdb", SQL, Arrays.asList((Object) null), INTEGER, CUSTOMERS);
        assertThat(key).isEqualTo(key("shopdb", SQL, Arrays.asList((Object) null), INTEGER, CUSTOMERS));
    }
}
