package dev.sekisho.planner.spi;

import static java.util.Objects.requireNonNull;

/**
 * Something in a source's settings that works but should change (a remote server reached without
 * TLS). Like {@link InvalidConfigException}, {@link #key()} is the dotted path below the source's
 * entry, which the gateway turns into {@code file:line}.
 */
public record SourceConfigWarning(String key, String message)
{
    public SourceConfigWarning
    {
        requireNonNull(key, "key is null");
        requireNonNull(message, "message is null");
    }
}
