package dev.sekisho.policies.sql;

import java.util.AbstractList;
import java.util.RandomAccess;

import static java.util.Objects.requireNonNull;

/**
 * An immutable list of tokens over an array that only this package fills: what the lexer cuts and
 * what a statement keeps, without the two copies ({@code ArrayList}, then {@code List.copyOf}) that
 * every lexed statement used to cost on the way into {@link SqlStatement}.
 */
final class TokenList
        extends AbstractList<SqlToken>
        implements RandomAccess
{
    private final SqlToken[] tokens;
    private final int size;

    /** @param tokens owned by the list from now on: nobody writes to it again */
    TokenList(SqlToken[] tokens, int size)
    {
        this.tokens = requireNonNull(tokens, "tokens is null");
        if (size < 0 || size > tokens.length) {
            throw new IllegalArgumentException("size " + size + " of " + tokens.length);
        }
        for (int i = 0; i < size; i++) {
            requireNonNull(tokens[i], "token is null");
        }
        this.size = size;
    }

    @Override
    public SqlToken get(int index)
    {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("token " + index + " of " + size);
        }
        return tokens[index];
    }

    @Override
    public int size()
    {
        return size;
    }
}
