/**
 * The second front door: JDBC over HTTP with Avatica's remote protocol (protobuf by default, JSON
 * optional), for Avatica's thin driver, sqlline and the JVM tools built on it. It is an adapter of
 * {@link dev.sekisho.gateway.execution}, like the PostgreSQL door: {@link
 * dev.sekisho.gateway.avatica.SekishoMeta} turns Avatica's {@code Meta} calls into calls of a
 * {@link dev.sekisho.gateway.execution.ClientSession}, so that identity, policies, routing, limits and
 * errors are the ones the PostgreSQL door has. Avatica's own handlers decode and encode requests;
 * Netty's HTTP codec carries them ({@link dev.sekisho.gateway.avatica.AvaticaServer}).
 */
package dev.sekisho.gateway.avatica;
