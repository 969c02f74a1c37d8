/**
 * The admin endpoint: HTTP (HTTPS when configured) on its own port, for members of the configured
 * users-file groups only. {@link dev.sekisho.gateway.admin.AdminServer} is the Netty server (the
 * event loop only parses and hands over; requests run on the endpoint's own threads),
 * {@link dev.sekisho.gateway.admin.AdminAuthenticator} checks HTTP Basic credentials against the
 * users file, {@link dev.sekisho.gateway.admin.AdminApi} answers the routes (health, readiness,
 * policy, sessions, cancel, replicas, recent statements, usage, metrics, the admin page), fed by
 * {@link dev.sekisho.gateway.admin.SessionActivity} (what each session runs now),
 * {@link dev.sekisho.gateway.admin.RecentStatements} and
 * {@link dev.sekisho.gateway.admin.ReplicaHistory} (lag over the last hour).
 */
package dev.sekisho.gateway.admin;
