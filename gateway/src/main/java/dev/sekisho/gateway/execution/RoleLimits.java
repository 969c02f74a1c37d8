package dev.sekisho.gateway.execution;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The limits one entry of {@code limits:} sets (for every user, a group, or a user); each is
 * optional, so that a more specific entry overrides only what it names. Zero means "no limit".
 *
 * @param maxConnections connections at once: of each user (top level and user entries), of all
 *         members together (group entries)
 */
public record RoleLimits(
        OptionalInt maxConnections,
        Optional<Duration> statementTimeout,
        Optional<Duration> maxStatementTimeout,
        Optional<Duration> idleSessionTimeout,
        Optional<Duration> idleInTransactionSessionTimeout,
        OptionalLong maxResultRows,
        OptionalLong maxResultBytes)
{
    /** Sets nothing. */
    public static final RoleLimits NONE = new RoleLimits(OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), OptionalLong.empty());

    public RoleLimits
    {
        requireNonNull(maxConnections, "maxConnections is null");
        requireNonNull(statementTimeout, "statementTimeout is null");
        requireNonNull(maxStatementTimeout, "maxStatementTimeout is null");
        requireNonNull(idleSessionTimeout, "idleSessionTimeout is null");
        requireNonNull(idleInTransactionSessionTimeout, "idleInTransactionSessionTimeout is null");
        requireNonNull(maxResultRows, "maxResultRows is null");
        requireNonNull(maxResultBytes, "maxResultBytes is null");
    }
}
