package dev.sekisho.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * A configuration file is wrong. The message reads {@code file:line: key: reason}, so that an admin
 * can go straight to the place to change.
 */
public class ConfigException
        extends RuntimeException
{
    private final String file;
    private final int line;
    private final String key;
    private final String reason;

    public ConfigException(String file, int line, String key, String reason)
    {
        super(format(file, line, key, reason));
        this.file = requireNonNull(file, "file is null");
        this.line = line;
        this.key = requireNonNull(key, "key is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    private static String format(String file, int line, String key, String reason)
    {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!key.isEmpty()) {
            text.append(key).append(": ");
        }
        return text.append(reason).toString();
    }

    public String file()
    {
        return file;
    }

    /** One-based line, or 0 when unknown. */
    public int line()
    {
        return line;
    }

    /** The dotted key path, or empty for the whole file. */
    public String key()
    {
        return key;
    }

    public String reason()
    {
        return reason;
    }
}
