/**
 * The sources' sockets on a front door's own I/O threads: a Netty implementation of the planner
 * SPI's {@link dev.sekisho.planner.spi.EventLoopIo} and {@link dev.sekisho.planner.spi.SourceSocket},
 * through which a connector that speaks its source's protocol itself runs a small statement with
 * no thread blocked on the source ({@link dev.sekisho.planner.spi.Connector#startWithoutBlocking}).
 *
 * <ul>
 *   <li>{@link dev.sekisho.gateway.sourceio.EventLoopIos}: one {@code EventLoopIo} per event loop,
 *       kept for the server's life (a connector keys its per-thread connections by it);</li>
 *   <li>{@link dev.sekisho.gateway.sourceio.NettyEventLoopIo}: one event loop lent to connectors:
 *       sockets opened there with a channel class of the loop's own transport, tasks and timers
 *       there;</li>
 *   <li>{@link dev.sekisho.gateway.sourceio.NettySourceSocket}: one connection to a source's
 *       server, its reads handed over as {@link java.nio.ByteBuffer}s, its writes flushed at once.</li>
 *   <li>{@link dev.sekisho.gateway.sourceio.FrontDoorIoThreads}: the threads of every front door's
 *       event loops, marked so that one type check tells them;</li>
 *   <li>{@link dev.sekisho.gateway.sourceio.EventLoopGuardedConnector}: the wrapper Gateway puts
 *       around every source, whose blocking calls ({@code execute}, {@code estimate},
 *       {@code estimateRows}, {@code lastModified}) fail fast with an IllegalStateException (an
 *       XX000 error of that statement) on such a thread instead of blocking the loop.</li>
 * </ul>
 *
 * Nothing here blocks, and nothing here knows a source's protocol.
 */
package dev.sekisho.gateway.sourceio;
