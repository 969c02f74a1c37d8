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

    @Test
    void aRangeOfALargerArrayIsCheckedAsThatRangeAlone()
    {
        String[] values = {"", "0", "7", "-7", "00", "-0", "+7", "1e3", "32767", "32768", "-32768", "-32769", "2147483647", "2147483648", "-2147483648",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "123456789012345678", "1234567890123456789", "café", "plain"};
        for (String value : values) {
            byte[] bytes = value.getBytes(UTF_8);
            // surrounded by bytes that would change the answer if they were read
            byte[] embedded = new byte[bytes.length + 4];
            embedded[0] = '9';
            embedded[1] = (byte) 0xC3;
            System.arraycopy(bytes, 0, embedded, 2, bytes.length);
            embedded[bytes.length + 2] = 'x';
            embedded[bytes.length + 3] = (byte) 0xE9;
            for (TextColumn form : TextColumn.values()) {
                assertThat(form.isExact(embedded, 2, 2 + bytes.length)).as("%s %s", form, value).isEqualTo(form.isExact(bytes));
            }
        }
        assertThat(TextColumn.SMALLINT.isExact("12345".getBytes(UTF_8), 1, 4)).isTrue();
    }
}
