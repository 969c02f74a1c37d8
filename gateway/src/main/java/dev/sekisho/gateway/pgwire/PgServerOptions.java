package dev.sekisho.gateway.pgwire;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings of the Postgres-wire listener.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one ({@link PgServer#start()} returns it)
 * @param maxStartupPacketBytes largest startup packet accepted (PostgreSQL: 10,000)
 * @param maxMessageBytes largest regular message accepted; larger ones close the connection with 08P01
 * @param maxConnections connections served at once; more are refused with 53300
 * @param ioThreads Netty event-loop threads for connections (0: Netty's default, twice the cores)
 * @param writeBufferLowWaterMark bytes queued for a connection below which it is writable again
 * @param writeBufferHighWaterMark bytes queued for a connection above which row streaming pauses
 * @param flushBytes how many bytes of rows are gathered before they are handed to the socket
 * @param tls TLS for clients that send SSLRequest; empty: SSLRequest is answered 'N'
 * @param ioTransport Netty's transport for the connections (epoll where it loads, by default)
 * @param cacheHitsOnEventLoop whether a result-cache hit of a prepared statement is answered on the
 *         event loop without a worker when that runs without blocking (see
 *         {@link PgEventLoopAnswers#answerOnEventLoop}); on by default
 * @param statementsOnEventLoop whether a prepared statement that the cache does not answer is sent
 *         to its source on the event loop, and answered there, when its connector reads it without
 *         blocking (see {@link PgEventLoopAnswers#startOnEventLoop}); on by default
 * @param readAheadBytes the most bytes of a suspended portal's rows read ahead of its next Execute
 *         while the client reads the last batch ({@link dev.sekisho.gateway.execution.PortalReadAhead}); 0: none
 * @param readAheadTotalBytes the most bytes of rows read ahead that all connections keep together
 *         ({@link dev.sekisho.gateway.execution.ReadAheadBudget}); 0: none is read ahead
 */
public record PgServerOptions(
        String host,
        int port,
        int maxStartupPacketBytes,
        int maxMessageBytes,
        int maxConnections,
        int ioThreads,
        int writeBufferLowWaterMark,
        int writeBufferHighWaterMark,
        int flushBytes,
        Optional<PgTls> tls,
        PgIoTransport ioTransport,
        boolean cacheHitsOnEventLoop,
        boolean statementsOnEventLoop,
        int readAheadBytes,
        long readAheadTotalBytes)
{
    public PgServerOptions
    {
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
        }
        if (maxStartupPacketBytes < 8) {
            throw new IllegalArgumentException("maxStartupPacketBytes too small: " + maxStartupPacketBytes);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes too small: " + maxMessageBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must not be negative: " + ioThreads);
        }
        if (writeBufferLowWaterMark < 1 || writeBufferHighWaterMark < writeBufferLowWaterMark) {
            throw new IllegalArgumentException("write buffer water marks must satisfy 0 < low <= high");
        }
        if (flushBytes < 1) {
            throw new IllegalArgumentException("flushBytes must be positive: " + flushBytes);
        }
        requireNonNull(tls, "tls is null");
        requireNonNull(ioTransport, "ioTransport is null");
        if (readAheadBytes < 0) {
            throw new IllegalArgumentException("readAheadBytes must not be negative: " + readAheadBytes);
        }
        if (readAheadTotalBytes < 0) {
            throw new IllegalArgumentException("readAheadTotalBytes must not be negative: " + readAheadTotalBytes);
        }
    }

    /** The most bytes of rows read ahead of a suspended portal's next Execute, by default: a batch of 10,000 short rows (docs/benchmarks.md). */
    public static final int DEFAULT_READ_AHEAD_BYTES = 512 * 1024;
    /** The most bytes of rows read ahead that all connections keep together, by default. */
    public static final long DEFAULT_READ_AHEAD_TOTAL_BYTES = 64L * 1024 * 1024;

    /** Port 5432 on localhost, 10,000-byte startup packets, 16 MiB messages, 500 connections. */
    public static PgServerOptions defaults()
    {
        return new PgServerOptions("127.0.0.1", 5432, 10_000, 16 * 1024 * 1024, 500, 0, 256 * 1024, 1024 * 1024, 64 * 1024, Optional.empty(),
                PgIoTransport.AUTO, true, true, DEFAULT_READ_AHEAD_BYTES, DEFAULT_READ_AHEAD_TOTAL_BYTES);
    }

    public PgServerOptions withHost(String host)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withPort(int port)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withMaxStartupPacketBytes(int maxStartupPacketBytes)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withMaxMessageBytes(int maxMessageBytes)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withMaxConnections(int maxConnections)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withIoThreads(int ioThreads)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withWriteBufferWaterMarks(int low, int high)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, low, high, flushBytes, tls, ioTransport,
                cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withTls(PgTls tls)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, Optional.of(tls), ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withIoTransport(PgIoTransport ioTransport)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withCacheHitsOnEventLoop(boolean cacheHitsOnEventLoop)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withStatementsOnEventLoop(boolean statementsOnEventLoop)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withReadAheadBytes(int readAheadBytes)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }

    public PgServerOptions withReadAheadTotalBytes(long readAheadTotalBytes)
    {
        return new PgServerOptions(host, port, maxStartupPacketBytes, maxMessageBytes, maxConnections, ioThreads, writeBufferLowWaterMark,
                writeBufferHighWaterMark, flushBytes, tls, ioTransport, cacheHitsOnEventLoop, statementsOnEventLoop, readAheadBytes, readAheadTotalBytes);
    }
}
