package dev.sekisho.gateway.pgwire.message;

import java.util.List;

/**
 * The format codes of Bind (for parameters and for result columns): {@code 0} text, {@code 1}
 * binary. A Bind lists none (all text), one (for every column or parameter), or one each.
 */
public final class FormatCodes
{
    public static final int TEXT = 0;
    public static final int BINARY = 1;

    private FormatCodes() {}

    /** The format code of column or parameter {@code index}: none given = text, one = for all, else one each. */
    public static int format(List<Integer> formats, int index)
    {
        if (formats.isEmpty()) {
            return TEXT;
        }
        return formats.size() == 1 ? formats.get(0) : formats.get(index);
    }

    /** Whether {@code format} is a code this server knows. */
    public static boolean isKnown(int format)
    {
        return format == TEXT || format == BINARY;
    }
}
