package dev.sekisho.planner.spi;

import static java.util.Objects.requireNonNull;

/**
 * A source's configuration is wrong. {@link #key()} is the dotted path below the source's entry
 * (e.g. {@code replicas[1].url}); the gateway turns it into {@code file:line}.
 */
public class InvalidConfigException
        extends RuntimeException
{
    private final String key;

    public InvalidConfigException(String key, String message)
    {
        super(requireNonNull(key, "key is null") + " " + requireNonNull(message, "message is null"));
        this.key = key;
    }

    /** The dotted key path below the source's entry. */
    public String key()
    {
        return key;
    }

    /** The reason, without the key. */
    public String reason()
    {
        return getMessage().substring(key.length() + 1);
    }
}
