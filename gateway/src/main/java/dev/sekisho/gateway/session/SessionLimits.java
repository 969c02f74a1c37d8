package dev.sekisho.gateway.session;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What the admin allows one session ({@code limits:} in sekisho.yaml, resolved for its user):
 * zero means no limit.
 *
 * @param statementTimeout the session's {@code statement_timeout} until it SETs another
 * @param maxStatementTimeout the highest {@code statement_timeout} the session may SET (and the
 *         one it gets when the admin gave no default); zero: any
 * @param idleSessionTimeout how long the session may wait for the client outside a transaction
 *         before it is closed (57P05)
 * @param idleInTransactionSessionTimeout how long it may wait for the client inside a transaction
 *         block before it is closed (25P03)
 * @param maxResultRows rows one statement may return before it fails with 54000
 * @param maxResultBytes bytes of values one statement may return before it fails with 54000
 */
public record SessionLimits(
        Duration statementTimeout,
        Duration maxStatementTimeout,
        Duration idleSessionTimeout,
        Duration idleInTransactionSessionTimeout,
        long maxResultRows,
        long maxResultBytes)
{
    /** Nothing is limited. */
    public static final SessionLimits NONE = new SessionLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0);

    public SessionLimits
    {
        requireNonNull(statementTimeout, "statementTimeout is null");
        requireNonNull(maxStatementTimeout, "maxStatementTimeout is null");
        requireNonNull(idleSessionTimeout, "idleSessionTimeout is null");
        requireNonNull(idleInTransactionSessionTimeout, "idleInTransactionSessionTimeout is null");
        for (Duration duration : new Duration[] {statementTimeout, maxStatementTimeout, idleSessionTimeout, idleInTransactionSessionTimeout}) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative: " + duration);
            }
        }
        if (maxResultRows < 0 || maxResultBytes < 0) {
            throw new IllegalArgumentException("result limits must not be negative");
        }
        if (!maxStatementTimeout.isZero() && (statementTimeout.isZero() || statementTimeout.compareTo(maxStatementTimeout) > 0)) {
            // a session without a timeout would run longer than the admin allows: start at the maximum
            statementTimeout = maxStatementTimeout;
        }
    }
}
