package dev.sekisho.gateway.audit;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One line of the audit trail. Every event has a {@code type} and a {@code time}; the rest
 * depends on the type. Fields that a part of Sekisho not built yet will fill (the result cache) are
 * written as {@code null} until it lands, and cost fields are {@code null} when they do not apply, so readers can rely on the shape.
 */
public sealed interface AuditEvent
        permits AuditEvent.Statement, AuditEvent.Login, AuditEvent.PolicyReload, AuditEvent.Admin, AuditEvent.Dropped
{
    /** The kind of event; each record sets its own, whatever its constructor is given. */
    String type();

    Instant time();

    /**
     * A statement: run to its end, refused, or failed before it ran.
     *
     * @param sessionId the session's id (its BackendKeyData process id)
     * @param user who authenticated
     * @param endUser on whose behalf a shared BI account ran it (Redash's {@code Username:} annotation)
     * @param groups the user's groups
     * @param team whom usage is reported for: the user's {@code team} attribute, else the first of its groups in name order
     * @param application the session's application_name
     * @param clientAddress where the client connected from
     * @param frontDoor the protocol it came through
     * @param redashQueryId Redash's saved query id, when its annotation names one
     * @param sql the statement's text with passwords replaced
     * @param digest a short hash of {@code normalizedSql}: the same statement with other literals has the same digest
     * @param normalizedSql the statement with literals replaced by {@code ?}, comments dropped and white space collapsed
     * @param kind what kind of statement it is (query, set, show, ...) or {@code invalid} when it could not be planned
     * @param sources what it sent to each source, with the server routed to
     * @param tables the tables it read, {@code source.schema.table}
     * @param rules the policy rules that applied, with their file:line
     * @param policyVersion the policy snapshot it ran under
     * @param estimatedBytes the bytes its BigQuery dry runs estimated (null when no estimate was needed: no budget applies, or no source bills bytes)
     * @param actualBytes bytes billed at the source, BigQuery's {@code totalBytesBilled} (null when no source reported any)
     * @param cacheHit whether a result cache answered (null until there is one)
     * @param resourceGroup the resource group that admitted it (null when none applies)
     * @param queueWaitMillis how long it waited in its resource group's queue (null when no group applies)
     * @param durationMillis from the start of its run to its end
     * @param rows rows sent to the client
     * @param outcome {@code ok}, {@code refused}, {@code cancelled} or {@code failed}
     * @param sqlState the SQLSTATE the client got, null when it succeeded
     */
    record Statement(String type, Instant time, Integer sessionId, String user, String endUser, List<String> groups, String team, String application,
            String clientAddress, String frontDoor, String redashQueryId, String sql, String digest, String normalizedSql, String kind,
            List<Source> sources, List<String> tables, List<String> rules, String policyVersion, Long estimatedBytes, Long actualBytes,
            Boolean cacheHit, String resourceGroup, Long queueWaitMillis, long durationMillis, long rows, String outcome, String sqlState)
            implements AuditEvent
    {
        public Statement
        {
            type = "statement";
            requireNonNull(time, "time is null");
            requireNonNull(user, "user is null");
            groups = List.copyOf(groups);
            requireNonNull(sql, "sql is null");
            sources = List.copyOf(sources);
            tables = List.copyOf(tables);
            rules = List.copyOf(rules);
            requireNonNull(outcome, "outcome is null");
        }
    }

    /**
     * What a statement sent to one source.
     *
     * @param source the source's name
     * @param server the server its route chose (null when the source has no choice to make)
     * @param role that server's role as the source's configuration gives it ({@code primary} or {@code replica}; null when unknown)
     * @param sql the rewritten statement in the source's dialect (null for plans computed in the gateway)
     */
    record Source(String source, String server, String role, String sql) {}

    /**
     * A login, successful or not. A failed one records the name the client gave, never what it sent as a password, and why it failed.
     *
     * @param sessionId the session it opened, null when it failed
     * @param sqlState what a failed login was told (28P01, 28000, 53300), null when it succeeded
     * @param reason why a login failed ({@code wrong_password}, {@code unknown_user}, {@code locked_out},
     *        {@code tls_required}, {@code client_certificate}, {@code too_many_connections},
     *        {@code connection_limit}, {@code protocol_violation}), null when it succeeded
     */
    record Login(String type, Instant time, String user, String frontDoor, String clientAddress, boolean success, Integer sessionId,
            String sqlState, String reason)
            implements AuditEvent
    {
        public Login
        {
            type = "login";
            requireNonNull(time, "time is null");
            requireNonNull(user, "user is null");
        }
    }

    /**
     * A policy reload: applied (the new version) or rejected (the error, and the version that stays).
     *
     * @param trigger what asked for it: {@code watch} (a file changed) or {@code admin}
     */
    record PolicyReload(String type, Instant time, boolean applied, String version, String error, String trigger)
            implements AuditEvent
    {
        public PolicyReload
        {
            type = "policy_reload";
            requireNonNull(time, "time is null");
        }
    }

    /**
     * A request to the admin endpoint that did something or was refused.
     *
     * @param user who asked (as authenticated, or as claimed when refused)
     * @param action what was asked, e.g. {@code cancel}
     * @param target what it was about, e.g. a session id
     * @param outcome {@code ok}, {@code denied}, {@code not_found}
     */
    record Admin(String type, Instant time, String user, String clientAddress, String action, String target, String outcome)
            implements AuditEvent
    {
        public Admin
        {
            type = "admin";
            requireNonNull(time, "time is null");
            requireNonNull(action, "action is null");
        }
    }

    /**
     * Events dropped because the queue was full (the disk could not keep up), written as soon as
     * the writer has room again: drops are counted and reported, never silent.
     *
     * @param count events dropped since the last such line
     */
    record Dropped(String type, Instant time, long count)
            implements AuditEvent
    {
        public Dropped
        {
            type = "dropped";
            requireNonNull(time, "time is null");
        }
    }
}
