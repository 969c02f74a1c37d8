package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableChangeListener;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A source whose blocking calls ({@link Connector#execute}, {@link Connector#estimate},
 * {@link Connector#estimateRows}, {@link Connector#lastModified}) fail fast with an
 * {@link IllegalStateException} when called on a front door's event-loop thread
 * ({@link FrontDoorIoThreads}) instead of blocking it, and so every session it serves: a statement
 * answered on the loop takes the rows that arrived there ({@link ExecutionContext#arrivedRows}), and
 * a path that loses them would otherwise run the statement again, blocking, on the loop. The caller's
 * error handling turns the exception into an internal error (XX000) of that one statement. The
 * {@link Connector#startWithoutBlocking} and the other calls, which never block, pass through; the
 * check is one type test of the current thread. Gateway puts it around every configured source, below
 * the result cache.
 */
public final class EventLoopGuardedConnector
        implements Connector
{
    private final Connector source;
    /** The source's name, read once: the refusal names it without calling the source. */
    private final String sourceName;

    public EventLoopGuardedConnector(Connector source)
    {
        this.source = requireNonNull(source, "source is null");
        this.sourceName = source.name();
    }

    /** The source guarded. */
    public Connector source()
    {
        return source;
    }

    @Override
    public String name()
    {
        return source.name();
    }

    @Override
    public SqlDialectKind dialect()
    {
        return source.dialect();
    }

    @Override
    public ConnectorMetadata metadata()
    {
        return source.metadata();
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        refuseOnEventLoop("execute");
        return source.execute(query, context);
    }

    @Override
    public Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
    {
        return source.startWithoutBlocking(query, io);
    }

    @Override
    public boolean mayStartWithoutBlocking()
    {
        return source.mayStartWithoutBlocking();
    }

    @Override
    public Optional<CostEstimate> estimate(BackendQuery query, ExecutionContext context)
    {
        refuseOnEventLoop("estimate");
        return source.estimate(query, context);
    }

    @Override
    public OptionalLong estimateRows(BackendQuery query, ExecutionContext context)
    {
        refuseOnEventLoop("estimateRows");
        return source.estimateRows(query, context);
    }

    @Override
    public Set<ConnectorCapability> capabilities()
    {
        return source.capabilities();
    }

    @Override
    public List<ServerStatus> servers()
    {
        return source.servers();
    }

    @Override
    public Optional<RouteExplanation> explainRoute(BackendQuery query)
    {
        return source.explainRoute(query);
    }

    @Override
    public boolean followChanges(TableChangeListener listener)
    {
        return source.followChanges(listener);
    }

    @Override
    public boolean tracksLastModified()
    {
        return source.tracksLastModified();
    }

    @Override
    public OptionalLong lastModified(SourceTable table)
    {
        refuseOnEventLoop("lastModified");
        return source.lastModified(table);
    }

    @Override
    public void close()
    {
        source.close();
    }

    private void refuseOnEventLoop(String call)
    {
        if (FrontDoorIoThreads.isCurrent()) {
            throw new IllegalStateException("source " + sourceName + ": the blocking Connector." + call + " was called on the front door's event-loop thread "
                    + Thread.currentThread().getName() + ", which must never wait for a source (a statement answered on the loop lost its arrived rows?)");
        }
    }
}
