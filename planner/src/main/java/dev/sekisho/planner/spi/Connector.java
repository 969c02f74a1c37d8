package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One configured source. Thread-safe: the planner and many sessions call it at once.
 *
 * <p>A connector is a pure executor and metadata provider: the planner hands it one statement
 * in its {@link #dialect()}, already rewritten; the connector runs it on a suitable server and
 * streams the rows back.
 */
public interface Connector
        extends AutoCloseable
{
    /** The source's name in {@code sekisho.yaml}. */
    String name();

    /** The SQL dialect that {@link #execute} accepts. */
    SqlDialectKind dialect();

    /** Schemas, tables, columns, types and keys as the source reports them. */
    ConnectorMetadata metadata();

    /**
     * Runs one statement and returns a stream over its rows. Blocks while the statement is sent
     * and the first rows arrive: call it from a worker thread, never an event loop. The caller must
     * close the stream; a cancel through {@code context} aborts the statement at the source.
     *
     * @throws QueryException with a SQLSTATE when the source refuses or fails the statement
     */
    ResultStream execute(BackendQuery query, ExecutionContext context);

    /**
     * Sends {@code query} to the source on the front door's I/O thread {@code io} and gathers its
     * rows there, with no thread blocking on the source, when the connector can: it speaks the
     * source's protocol over {@code io}'s sockets, the statement is one it runs that way (a small
     * result of types it decodes, a server it may read from now), and it has a connection on that
     * thread or may open one. Empty, having sent nothing, when it cannot: the caller then runs the
     * statement through {@link #execute} on a worker, as always. The rows the run gives must be
     * those {@link #execute} would give, value for value, and so must its refusals (a run that
     * meets an error gives up, see {@link NonBlockingRun#result()}). Call on {@code io}'s thread;
     * never blocks.
     */
    default Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
    {
        return Optional.empty();
    }

    /**
     * Whether {@link #startWithoutBlocking} may ever start a statement (false, the default: it
     * always declines, so a front door never asks it, and spends nothing on its I/O threads to find
     * that out statement by statement). A connector that wraps another answers for the one inside.
     */
    default boolean mayStartWithoutBlocking()
    {
        return false;
    }

    /**
     * What running {@code query} would cost, without running it; empty when the source cannot tell
     * (it lacks {@link ConnectorCapability#ESTIMATE}). Blocks on the network like {@link #execute}.
     *
     * @throws QueryException with a SQLSTATE when the source refuses the statement
     */
    default Optional<CostEstimate> estimate(BackendQuery query, ExecutionContext context)
    {
        return Optional.empty();
    }

    /**
     * How many rows the source expects to examine for {@code query}, from its own planner (MySQL's
     * {@code EXPLAIN}), without running it; empty when the source cannot say. Routing of replicated
     * tables keeps cheap statements on the replicas with it.
     *
     * @throws QueryException when the source refuses the statement
     */
    default OptionalLong estimateRows(BackendQuery query, ExecutionContext context)
    {
        return OptionalLong.empty();
    }

    /** Capabilities the planner may rely on; empty means "scan only". */
    default Set<ConnectorCapability> capabilities()
    {
        return Set.of();
    }

    /** The servers behind this source and their pools, for admins and tests; empty if the source has none to show. */
    default List<ServerStatus> servers()
    {
        return List.of();
    }

    /**
     * Where {@link #execute} would run {@code query} now and why (EXPLAIN); empty for a source with
     * one server and nothing to choose. Never runs the statement.
     */
    default Optional<RouteExplanation> explainRoute(BackendQuery query)
    {
        return Optional.empty();
    }

    /**
     * Starts telling {@code listener} when rows of this source change, if the source is configured
     * to follow its changes; returns whether it does. Without a feed, whoever keeps results relies
     * on their TTL alone.
     */
    default boolean followChanges(TableChangeListener listener)
    {
        return false;
    }

    /**
     * Whether {@link #lastModified} answers for this source's tables: a result cache in front of
     * the source then checks that time instead of trusting its TTL alone (BigQuery, which has no
     * change feed to follow).
     */
    default boolean tracksLastModified()
    {
        return false;
    }

    /**
     * When rows of {@code table} last changed, as the source records it (BigQuery's
     * {@code lastModifiedTime}, milliseconds since the epoch); empty when the source keeps no such
     * time. One cheap metadata read, never a query; blocks on the network like {@link #execute}.
     *
     * @throws QueryException when the source cannot tell (unreachable, the table gone, no permission)
     */
    default OptionalLong lastModified(SourceTable table)
    {
        return OptionalLong.empty();
    }

    /** Releases pools and threads. */
    @Override
    default void close() {}
}
