package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableChangeListener;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A source with the result cache in front of its statements: what the planner sends it is the
 * cache's key, so the cache sits below policies and planning and sees exactly what the source would.
 * A session with {@code SET sekisho.cache = off} reads the source every time. When the source
 * follows its own changes (a MySQL {@code change_feed}), each change drops the entries it affects;
 * when it records when each table last changed (BigQuery), that time is checked in the background
 * ({@link LastModifiedChecks}) and a statement over a table without a recent good check bypasses
 * the cache. A statement the cost guard admitted as a cache hit without estimating it fails (40001)
 * rather than reach the source when its entry was dropped in between.
 */
public final class CachingConnector
        implements Connector
{
    /** The session setting that turns the cache off for a session ({@code on} by default). */
    public static final String SESSION_SETTING = "sekisho.cache";

    private final Connector source;
    private final ResultCache cache;
    /** The background checks of the source's last-modified times; empty for a source that keeps none. */
    private final Optional<LastModifiedChecks> lastModifiedChecks;
    /** What else hears of DDL at the source (the planner, whose plans and catalog it makes stale). */
    private volatile Runnable schemaChanges = () -> {};

    public CachingConnector(Connector source, ResultCache cache)
    {
        this.source = requireNonNull(source, "source is null");
        this.cache = requireNonNull(cache, "cache is null");
        String name = source.name();
        this.lastModifiedChecks = source.tracksLastModified()
                ? Optional.of(new LastModifiedChecks(source, cache, cache.settings().lastModifiedCheck()))
                : Optional.empty();
        cache.serves(name, query -> lastModifiedChecks.map(checks -> checks.allowsCaching(query)).orElse(true));
        source.followChanges(new TableChangeListener()
        {
            @Override
            public void tableChanged(SourceTable table)
            {
                cache.invalidateTable(name, table.schema(), table.table());
            }

            @Override
            public void sourceChanged()
            {
                cache.invalidateSource(name);
            }

            @Override
            public void schemaChanged(Optional<SourceTable> table)
            {
                if (table.isPresent()) {
                    cache.invalidateTable(name, table.get().schema(), table.get().table());
                }
                else {
                    cache.invalidateSource(name);
                }
                schemaChanges.run();
            }
        });
    }

    /**
     * Runs {@code action} whenever the source's change feed reports DDL (on the feed's thread: it
     * must hand blocking work elsewhere).
     */
    public void onSchemaChange(Runnable action)
    {
        this.schemaChanges = requireNonNull(action, "action is null");
    }

    /** Whether a session setting's value leaves the cache on. */
    public static boolean isOn(Optional<String> setting)
    {
        return setting.map(value -> !value.strip().toLowerCase(Locale.ROOT).matches("off|false|0|no")).orElse(true);
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        // a statement answered on a front door's I/O thread: the entry it was admitted for, whatever the checks below say now
        ResultStream pinned = cache.readPinned(query, context::answeredFromCache);
        if (pinned != null) {
            return pinned;
        }
        Optional<Duration> ttl = cache.ttl(query);
        if (ttl.isEmpty() || !isOn(context.setting(SESSION_SETTING)) || !lastModifiedChecks.map(checks -> checks.allowsCaching(query)).orElse(true)) {
            cache.bypassed();
            return fromSource(query, context);
        }
        return cache.read(query, ttl.get(), () -> fromSource(query, context), context::answeredFromCache);
    }

    /**
     * The source's own run on a front door's I/O thread, for a statement the cache does not keep
     * (no TTL for its tables, non-deterministic SQL, or a table whose last change is not known);
     * empty for one it keeps, whose entry a worker loads. The session's {@code sekisho.cache} is
     * not known here: a session that turned the cache off has its cacheable statements run on a
     * worker, as before.
     */
    @Override
    public boolean mayStartWithoutBlocking()
    {
        return source.mayStartWithoutBlocking();
    }

    @Override
    public Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
    {
        if (cache.ttl(query).isPresent() && lastModifiedChecks.map(checks -> checks.allowsCaching(query)).orElse(true)) {
            return Optional.empty();
        }
        Optional<NonBlockingRun> started = source.startWithoutBlocking(query, io);
        if (started.isPresent()) {
            cache.bypassed();
        }
        return started;
    }

    /**
     * Whether the cache would answer {@code query} from a stored entry now, for a session whose
     * {@code sekisho.cache} setting is {@code setting}: what lets the cost guard skip its estimate.
     * Never blocks and changes none of the cache's figures (for a BigQuery table, it may start a
     * check of its last-modified time, as a statement would).
     */
    public boolean wouldAnswer(BackendQuery query, Optional<String> setting)
    {
        return isOn(setting) && cache.ttl(query).isPresent() && lastModifiedChecks.map(checks -> checks.allowsCaching(query)).orElse(true)
                && cache.holds(query);
    }

    /** The source's rows, unless the statement was admitted as a cache hit without an estimate: then it must not reach the source. */
    private ResultStream fromSource(BackendQuery query, ExecutionContext context)
    {
        if (context.admittedAsCacheHit()) {
            throw new QueryException(SqlStates.SERIALIZATION_FAILURE, "the cached result this statement was admitted for was dropped (its table changed,"
                    + " or it expired) before the statement ran", "Run the statement again: it is then estimated and read from source " + source.name() + ".",
                    null);
        }
        return source.execute(query, context);
    }

    /** The source behind the cache. */
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
        // the cache follows the source's changes itself; one follower per source
        return false;
    }

    @Override
    public void close()
    {
        lastModifiedChecks.ifPresent(LastModifiedChecks::close);
        source.close();
    }
}
