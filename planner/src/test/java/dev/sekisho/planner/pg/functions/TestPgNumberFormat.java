package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of PostgreSQL 15's documentation (Table 9.29, to_char examples) in the C locale. */
class TestPgNumberFormat
{
    @Test
    void formatsAsPostgresDocumentationShows()
    {
        assertFormat("-0.1", "99.99", "  -.10");
        assertFormat("-0.1", "FM9.99", "-.1");
        assertFormat("-0.1", "FM90.99", "-0.1");
        assertFormat("0.1", "0.9", " 0.1");
        assertFormat("12", "9990999.9", "    0012.0");
        assertFormat("12", "FM9990999.9", "0012.");
        assertFormat("485", "999", " 485");
        assertFormat("-485", "999", "-485");
        assertFormat("1485", "9,999", " 1,485");
        assertFormat("148.5", "999.999", " 148.500");
        assertFormat("148.5", "FM999.999", "148.5");
        assertFormat("148.5", "FM999.990", "148.500");
        assertFormat("-485", "999S", "485-");
        assertFormat("-485", "999MI", "485-");
        assertFormat("485", "999MI", "485 ");
        assertFormat("485", "FM999MI", "485");
        assertFormat("485", "PL999", "+485");
        assertFormat("485", "SG999", "+485");
        assertFormat("-485", "SG999", "-485");
        assertFormat("-485", "999PR", "<485>");
        assertFormat("1234.5", "FM999,999.00", "1,234.50");
        assertFormat("0.125", "0.99", " 0.13");
        assertFormat("-5", "999", "  -5");
        assertFormat("12345", "999", " ###");
    }

    @Test
    void refusesElementsItDoesNotFormat()
    {
        assertThatThrownBy(() -> PgNumberFormat.format(new BigDecimal("485"), "L999"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThatThrownBy(() -> PgNumberFormat.format(new BigDecimal("485"), "9.99EEEE")).isInstanceOf(QueryException.class);
    }

    private static void assertFormat(String value, String format, String expected)
    {
        assertThat(PgNumberFormat.format(new BigDecimal(value), format)).as("to_char(%s, '%s')", value, format).isEqualTo(expected);
    }
}
