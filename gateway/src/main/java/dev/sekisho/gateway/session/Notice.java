package dev.sekisho.gateway.session;

import static java.util.Objects.requireNonNull;

/**
 * A warning a statement produced without failing, e.g. BEGIN inside a transaction block.
 */
public record Notice(String sqlState, String message)
{
    public Notice
    {
        requireNonNull(sqlState, "sqlState is null");
        requireNonNull(message, "message is null");
    }
}
