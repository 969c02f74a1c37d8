package dev.sekisho.planner.plan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestParameterRewriter
{
    @Test
    void rewritesParametersOutsideLiteralsAndComments()
    {
        ParameterRewriter.Rewritten rewritten = ParameterRewriter.rewrite(
                "select '$1', \"$2\", $2 -- $3\n, /* $4 /* nested */ $5 */ $1 + $12, a$1");
        assertThat(rewritten.sql()).isEqualTo("select '$1', \"$2\", ? -- $3\n, /* $4 /* nested */ $5 */ ? + ?, a$1");
        assertThat(rewritten.parameterNumbers()).containsExactly(2, 1, 12);
        assertThat(rewritten.maxParameterNumber()).isEqualTo(12);
    }

    @Test
    void mapsOffsetsBackToTheClientsText()
    {
        ParameterRewriter.Rewritten rewritten = ParameterRewriter.rewrite("select $10, $200, x");
        assertThat(rewritten.sql()).isEqualTo("select ?, ?, x");
        assertThat(rewritten.originalOffset(7)).isEqualTo(7);
        assertThat(rewritten.originalOffset(10)).isEqualTo(12);
        assertThat(rewritten.originalOffset(13)).isEqualTo(18);
    }
}
