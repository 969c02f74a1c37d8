package dev.sekisho.planner.policy;

import dev.sekisho.planner.pg.catalog.CatalogView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** An execution's catalog view is made when it is first asked, once, and answers as the view it made. */
class TestLazyCatalogView
{
    @Test
    void theViewIsMadeOnceAtTheFirstQuestion()
    {
        List<String> asked = new ArrayList<>();
        int[] made = {0};
        LazyCatalogView lazy = new LazyCatalogView(() -> {
            made[0]++;
            return new CatalogView()
            {
                @Override
                public boolean canSeeSchema(String schema)
                {
                    asked.add("schema " + schema);
                    return schema.equals("shop");
                }

                @Override
                public boolean canSeeTable(String schema, String table)
                {
                    asked.add("table " + table);
                    return table.equals("customers");
                }

                @Override
                public boolean canSeeColumn(String schema, String table, String column)
                {
                    asked.add("column " + column);
                    return !column.equals("email");
                }

                @Override
                public Optional<String> maskOf(String schema, String table, String column)
                {
                    asked.add("mask " + column);
                    return column.equals("phone") ? Optional.of("partial") : Optional.empty();
                }
            };
        });
        assertThat(made[0]).as("not made before it is asked").isZero();
        assertThat(lazy.canSeeSchema("shop")).isTrue();
        assertThat(lazy.canSeeSchema("hr")).isFalse();
        assertThat(lazy.canSeeTable("shop", "customers")).isTrue();
        assertThat(lazy.canSeeTable("shop", "salaries")).isFalse();
        assertThat(lazy.canSeeColumn("shop", "customers", "email")).isFalse();
        assertThat(lazy.canSeeColumn("shop", "customers", "name")).isTrue();
        assertThat(lazy.maskOf("shop", "customers", "phone")).contains("partial");
        assertThat(lazy.maskOf("shop", "customers", "name")).isEmpty();
        assertThat(made[0]).isEqualTo(1);
        assertThat(asked).containsExactly("schema shop", "schema hr", "table customers", "table salaries", "column email", "column name", "mask phone",
                "mask name");
    }
}
