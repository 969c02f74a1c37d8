package dev.sekisho.connectors.jdbc;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class TestTextColumn
{
    @Test
    void integersPassOnlyInLongToStringFormWithinTheirRange()
    {
        for (String exact : new String[] {"0", "7", "-7", "32767", "-32768"}) {
            assertThat(TextColumn.SMALLINT.isExact(exact.getBytes(UTF_8))).as(exact).isTrue();
        }
        for (String other : new String[] {"", "-", "00", "007", "-0", "+7", " 7", "7 ", "1e3", "32768", "-32769", "99999"}) {
            assertThat(TextColumn.SMALLINT.isExact(other.getBytes(UTF_8))).as(other).isFalse();
        }
        assertThat(TextColumn.INTEGER.isExact("-2147483648".getBytes(UTF_8))).isTrue();
        assertThat(TextColumn.INTEGER.isExact("2147483648".getBytes(UTF_8))).isFalse();
        assertThat(TextColumn.BIGINT.isExact("9223372036854775807".getBytes(UTF_8))).isTrue();
        assertThat(TextColumn.BIGINT.isExact("-9223372036854775808".getBytes(UTF_8))).isTrue();
        assertThat(TextColumn.BIGINT.isExact("9223372036854775808".getBytes(UTF_8))).isFalse();
        assertThat(TextColumn.BIGINT.isExact("-9223372036854775809".getBytes(UTF_8))).isFalse();
        assertThat(TextColumn.BIGINT.isExact("18446744073709551615".getBytes(UTF_8))).isFalse();
        assertThat(TextColumn.INTEGER.isExact("9223372036854775807".getBytes(UTF_8))).isFalse();
    }

    @Test
    void stringsPassWhenAscii()
    {
        assertThat(TextColumn.UTF8_STRING.isExact("".getBytes(UTF_8))).isTrue();
        assertThat(TextColumn.UTF8_STRING.isExact("a\0b ".getBytes(UTF_8))).isTrue();
        assertThat(TextColumn.UTF8_STRING.isExact("café".getBytes(UTF_8))).isFalse();
        assertThat(TextColumn.UTF8_STRING.isExact("café".getBytes(ISO_8859_1))).isFalse();
    }
}
