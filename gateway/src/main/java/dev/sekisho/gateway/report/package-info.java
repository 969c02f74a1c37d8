/**
 * Usage reports read from the audit trail ({@code sekisho report usage}):
 * {@link dev.sekisho.gateway.report.AuditReader} reads the audit files' statement events,
 * {@link dev.sekisho.gateway.report.UsageReport} adds them up per team, user, table or digest
 * and finds costly digests and tables nobody reads, and
 * {@link dev.sekisho.gateway.report.ReportPrinter} prints an aligned table or CSV.
 */
package dev.sekisho.gateway.report;
