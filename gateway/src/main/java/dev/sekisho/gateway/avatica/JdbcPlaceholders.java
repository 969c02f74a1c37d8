package dev.sekisho.gateway.avatica;

import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlToken;

/**
 * JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...}: pgjdbc rewrites them in the
 * client, Avatica's driver sends them as written, so the Avatica door rewrites them before the
 * statement reaches the session. Only {@code ?} outside string literals, quoted identifiers and
 * comments is a placeholder (PostgreSQL's lexer says where those are); {@code ??} stands for a
 * literal {@code ?} operator, as in pgjdbc.
 */
final class JdbcPlaceholders
{
    private JdbcPlaceholders() {}

    static String toPostgres(String sql)
    {
        if (sql.indexOf('?') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int parameter = 0;
        int copied = 0;
        for (SqlToken token : SqlLexer.tokenize(sql)) {
            if (token.kind() != SqlToken.Kind.SYMBOL || token.text().indexOf('?') < 0) {
                continue;
            }
            out.append(sql, copied, token.start());
            copied = token.end();
            String text = token.text();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '?') {
                    out.append(c);
                }
                else if (i + 1 < text.length() && text.charAt(i + 1) == '?') {
                    out.append('?');
                    i++;
                }
                else {
                    // "=?" is one operator token to the lexer: the parameter must not join the operator, nor a word after it
                    out.append(i > 0 ? " $" : "$").append(++parameter);
                    boolean wordFollows = i == text.length() - 1 && token.end() < sql.length() && Character.isLetterOrDigit(sql.charAt(token.end()));
                    if (i < text.length() - 1 || wordFollows) {
                        out.append(' ');
                    }
                }
            }
        }
        return out.append(sql, copied, sql.length()).toString();
    }
}
