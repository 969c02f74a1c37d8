package dev.sekisho.connectors.mysql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a session variable's value is written into the SET a non-blocking connection sends after its login. */
class TestSessionTemplate
{
    @Test
    void numbersStayNumbersAndNullStaysNull()
    {
        assertThat(SessionTemplate.literal("600", true)).isEqualTo("600");
        assertThat(SessionTemplate.literal("-1.5", true)).isEqualTo("-1.5");
        assertThat(SessionTemplate.literal(null, true)).isEqualTo("NULL");
        // too long for a number the server reads exactly as written: quoted
        assertThat(SessionTemplate.literal("1234567890123456789", true)).isEqualTo("'1234567890123456789'");
    }

    @Test
    void quotesAreDoubledAndBackslashesEscapedOnlyWhereTheServerReadsThemAsEscapes()
    {
        assertThat(SessionTemplate.literal("STRICT_TRANS_TABLES,ANSI_QUOTES", true)).isEqualTo("'STRICT_TRANS_TABLES,ANSI_QUOTES'");
        assertThat(SessionTemplate.literal("it's", true)).isEqualTo("'it''s'");
        assertThat(SessionTemplate.literal("C:\\tmp\\x", true)).isEqualTo("'C:\\\\tmp\\\\x'");
        // under NO_BACKSLASH_ESCAPES a backslash is itself: doubling it would change the value
        assertThat(SessionTemplate.literal("C:\\tmp\\x", false)).isEqualTo("'C:\\tmp\\x'");
        assertThat(SessionTemplate.literal("it's", false)).isEqualTo("'it''s'");
    }
}
