package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgArrayText
{
    @Test
    void parsesPlainQuotedEscapedAndNullElements()
    {
        PgArrayText.Parsed parsed = PgArrayText.parse("{a, \"b c\" ,\"say \\\"hi\\\"\",NULL,\"NULL\",null,x\\,y ,\"\",\\NULL}", "text[]");
        assertThat(parsed.lowerBound()).isEqualTo(1);
        assertThat(parsed.elements()).containsExactly("a", "b c", "say \"hi\"", null, "NULL", null, "x,y", "", "NULL");
        assertThat(parsed.hasNulls()).isTrue();
    }

    @Test
    void parsesEmptyArraysAndBounds()
    {
        assertThat(PgArrayText.parse("{}", "text[]").elements()).isEmpty();
        assertThat(PgArrayText.parse("  { }  ", "text[]").elements()).isEmpty();
        PgArrayText.Parsed bounded = PgArrayText.parse("[0:2]={7,8,9}", "int2[]");
        assertThat(bounded.lowerBound()).isZero();
        assertThat(bounded.elements()).containsExactly("7", "8", "9");
        assertThat(bounded.hasNulls()).isFalse();
    }

    @Test
    void rejectsMalformedText()
    {
        for (String text : List.of("a,b", "{a,b", "{a,b}x", "{a,,b}", "{\"a\"b}", "[1:3]={a,b}", "{a\"b}")) {
            assertThatThrownBy(() -> PgArrayText.parse(text, "text[]")).as(text)
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"))
                    .hasMessageStartingWith("malformed array literal: \"" + text + "\"");
        }
    }

    @Test
    void rejectsMultidimensionalArraysAsUnsupported()
    {
        assertThatThrownBy(() -> PgArrayText.parse("{{1,2},{3,4}}", "integer[]"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"))
                .hasMessageContaining("multidimensional integer[] values are not supported");
    }

    @Test
    void formatsAsArrayOutDoes()
    {
        assertThat(PgArrayText.format(List.of())).isEqualTo("{}");
        assertThat(PgArrayText.format(Arrays.asList("a", null, "", "null", "b c", "x,y", "q\"t", "back\\slash", "{}", "tab\there")))
                .isEqualTo("{a,NULL,\"\",\"null\",\"b c\",\"x,y\",\"q\\\"t\",\"back\\\\slash\",\"{}\",\"tab\there\"}");
    }

    @Test
    void formatThenParseRoundTrips()
    {
        List<String> elements = Arrays.asList("plain", null, "", "NULL", " lead", "trail ", "a\"b\\c", "{x}", "é,ü");
        assertThat(PgArrayText.parse(PgArrayText.format(elements), "text[]").elements()).containsExactlyElementsOf(elements);
    }
}
