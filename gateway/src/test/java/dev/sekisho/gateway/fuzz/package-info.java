/**
 * Fuzz targets (Jazzer) for the text the gateway reads from clients and admins: SQL (lexer,
 * splitter, session-command parser, PostgreSQL-syntax normaliser), policy files and
 * {@code sekisho.yaml}. The wire-protocol targets live beside the decoders, in
 * {@code dev.sekisho.gateway.pgwire.FuzzPgWire}. Each runs in verify over its committed inputs
 * ({@code src/test/resources/.../FuzzXxxInputs/METHOD/}); {@code bench/fuzz.sh TARGET SECONDS}
 * fuzzes one (docs/reliability.md).
 */
package dev.sekisho.gateway.fuzz;
