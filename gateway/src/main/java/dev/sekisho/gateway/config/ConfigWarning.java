package dev.sekisho.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * Something in a configuration that works but should change (a password written in clear text, a
 * remote source without TLS): {@code check-config} prints it and the gateway logs it at start.
 * Reads {@code file:line: key: message}, like a {@link ConfigException}.
 */
public record ConfigWarning(String file, int line, String key, String message)
{
    public ConfigWarning
    {
        requireNonNull(file, "file is null");
        requireNonNull(key, "key is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        return file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
