package dev.sekisho.gateway.audit;

import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A statement's text as the audit trail keeps it: the text with passwords replaced, and a
 * normalised form whose hash groups the runs of one statement whatever their literals (the
 * "digest" of ProxySQL and pg_stat_statements). Both come from the one SQL lexer, so a string that
 * contains a keyword or a comment marker is never mistaken for one.
 *
 * @param sql the text with the string after {@code PASSWORD} (or MySQL's {@code IDENTIFIED BY}) replaced by {@code '***'}
 * @param normalized key words in lower case, literals as {@code ?}, comments dropped, white space collapsed
 * @param digest the first 16 hex digits of the SHA-256 of {@code normalized}
 */
public record StatementDigest(String sql, String normalized, String digest)
{
    private static final String REDACTED = "'***'";

    public StatementDigest
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(normalized, "normalized is null");
        requireNonNull(digest, "digest is null");
    }

    public static StatementDigest of(String text)
    {
        List<SqlToken> tokens;
        try {
            tokens = SqlLexer.tokenize(text);
        }
        catch (RuntimeException e) {
            // text the lexer refuses (an unterminated string) is kept out entirely: it may hold anything
            String unreadable = "<statement that could not be lexed: " + text.length() + " characters>";
            return new StatementDigest(unreadable, unreadable, hash(unreadable));
        }
        StringBuilder redacted = new StringBuilder(text.length());
        StringBuilder normalized = new StringBuilder(text.length());
        int position = 0;
        SqlToken previous = null;
        SqlToken beforePrevious = null;
        for (SqlToken token : tokens) {
            redacted.append(text, position, token.start());
            position = token.end();
            boolean secret = token.kind() == SqlToken.Kind.STRING && previous != null
                    && (previous.isWord("password") || (previous.isWord("by") && beforePrevious != null && beforePrevious.isWord("identified")));
            redacted.append(secret ? REDACTED : token.text());
            if (token.isSignificant()) {
                if (normalized.length() > 0) {
                    normalized.append(' ');
                }
                normalized.append(switch (token.kind()) {
                    case STRING, NUMBER -> "?";
                    case WORD -> token.text().toLowerCase(Locale.ROOT);
                    default -> token.text();
                });
                beforePrevious = previous;
                previous = token;
            }
        }
        redacted.append(text, position, text.length());
        String normalizedText = normalized.toString();
        return new StatementDigest(redacted.toString(), normalizedText, hash(normalizedText));
    }

    private static String hash(String text)
    {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 8);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
