package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
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
 * follows its own changes (a MySQL {@code change_feed}), each change drops the entries it affects.
 */
public final class CachingConnector
        implements Connector
{
    /** The session setting that turns the cache off for a session ({@code on} by default). */
    public static final String SESSION_SETTING = "sekisho.cache";

    private final Connector source;
    private final ResultCache cache;
    /** What else hears of DDL at the source (the planner, whose plans and catalog it makes stale). */
    private volatile Runnable schemaChanges = () -> {};

    public CachingConnector(Connector source, ResultCache cache)
    {
        this.source = requireNonNull(source, "source is null");
        this.cache = requireNonNull(cache, "cache is null");
        String name = source.name();
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
        Optional<Duration> ttl = cache.ttl(query);
        if (ttl.isEmpty() || !isOn(context.setting(SESSION_SETTING))) {
            cache.bypassed();
            return source.execute(query, context);
        }
        return cache.read(query, ttl.get(), () -> source.execute(query, context), context::answeredFromCache);
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
        source.close();
    }
}
