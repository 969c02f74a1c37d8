package dev.sekisho.policies.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a rule was written: a file and a one-based line. Line 0 means "the whole file" (or a
 * built-in default); it prints as just the file.
 *
 * @param file the file as the policy source names it
 * @param line one-based line number, or 0 if not known
 */
public record SourceLocation(String file, int line)
{
    private static final SourceLocation BUILT_IN = new SourceLocation("(built-in default)", 0);

    public SourceLocation
    {
        requireNonNull(file, "file is null");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    /** The location of rules nobody wrote, such as {@code defaults.access: deny} when absent. */
    public static SourceLocation builtIn()
    {
        return BUILT_IN;
    }

    @Override
    public String toString()
    {
        return line == 0 ? file : file + ":" + line;
    }
}
