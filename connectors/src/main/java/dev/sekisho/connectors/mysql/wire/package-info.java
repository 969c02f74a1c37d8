/**
 * MySQL's client/server protocol, spoken without blocking over a front door's I/O thread
 * ({@link dev.sekisho.planner.spi.EventLoopIo}): the login (HandshakeV10, HandshakeResponse41,
 * {@code mysql_native_password} and the fast path of {@code caching_sha2_password}), server-side
 * prepared statements, and binary result rows read as the JDBC path reads them. JDK types only (no
 * Netty: TestDependencyDirection). It runs only what it reads exactly as Connector/J does; anything
 * else gives up, and the statement goes through Connector/J on a worker
 * ({@code MySqlNonBlockingReads} decides).
 */
package dev.sekisho.connectors.mysql.wire;
