/**
 * The audit trail: one JSON line per statement, login, policy reload and admin action
 * ({@link dev.sekisho.gateway.audit.AuditEvent}), built by
 * {@link dev.sekisho.gateway.audit.AuditListener} from the execution layer's hooks and written by
 * {@link dev.sekisho.gateway.audit.AuditLog} on its own thread through a bounded queue that never
 * blocks a statement (a full queue drops and counts), into
 * {@link dev.sekisho.gateway.audit.RotatingAuditFile} (rotated by size and by day). What is
 * recorded is chosen so that secrets stay out: bound values and result rows are never written,
 * and passwords in statement text are replaced ({@link dev.sekisho.gateway.audit.StatementDigest}).
 */
package dev.sekisho.gateway.audit;
