package dev.sekisho.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sekisho.gateway.sql.StatementParser;
import dev.sekisho.planner.pg.syntax.PgSyntax;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for SQL text from clients, before any planner: the lexer never throws and its tokens
 * cover the text exactly; the splitter's statements are pieces of the text in order; the
 * session-command parser and the PostgreSQL-syntax normaliser either answer or throw a
 * {@link QueryException} with a SQLSTATE (a syntax error the client sees), never anything else.
 */
class FuzzSqlText
{
    /**
     * One text through all of them: the lexer (total, lossless), the splitter (pieces of the text
     * in order), the session-command parser and the normaliser (an answer or a SQLSTATE).
     */
    @FuzzTest(maxDuration = "10s")
    void sqlText(FuzzedDataProvider data)
    {
        String sql = data.consumeRemainingAsString();
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        StringBuilder joined = new StringBuilder();
        tokens.forEach(token -> joined.append(token.text()));
        assertThat(joined.toString()).isEqualTo(sql);
        int from = 0;
        for (SqlStatement statement : SqlStatement.split(sql)) {
            int at = sql.indexOf(statement.text(), from);
            assertThat(at).as("statement %s is a piece of the text after offset %d", statement.text(), from).isGreaterThanOrEqualTo(0);
            from = at + statement.text().length();
            try {
                assertThat(StatementParser.parse(statement).kind()).isNotNull();
            }
            catch (QueryException e) {
                assertThat(e.sqlState()).hasSize(5);
            }
            try {
                assertThat(PgSyntax.normalize(statement)).isNotNull();
            }
            catch (QueryException e) {
                assertThat(e.sqlState()).hasSize(5);
            }
        }
        try {
            assertThat(PgSyntax.normalize(sql)).isNotNull();
        }
        catch (QueryException e) {
            assertThat(e.sqlState()).hasSize(5);
        }
    }
}
