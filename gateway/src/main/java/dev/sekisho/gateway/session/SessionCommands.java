package dev.sekisho.gateway.session;

import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The session commands that connection pools and drivers send and that never reach a source:
 * SET, RESET, SHOW, DISCARD and DEALLOCATE. Changed settings that the client is told about go into
 * the portal's parameter changes (ParameterStatus).
 */
final class SessionCommands
{
    private final SessionSettings settings;
    private final TransactionEmulation transaction;
    private final PreparedStatements statements;
    private final Portals portals;
    private final TableauTempTables tempTables;
    private final Supplier<Map<String, List<ServerStatus>>> servers;
    private final Supplier<List<List<Object>>> budget;
    private final Optional<ResultCache> resultCache;

    /**
     * @param servers every source's servers now, for {@code SHOW sekisho.replicas}
     * @param resultCache the gateway's result cache, for {@code SHOW sekisho.cache}; empty when not configured
     */
    SessionCommands(SessionSettings settings, TransactionEmulation transaction, PreparedStatements statements, Portals portals, TableauTempTables tempTables,
            Supplier<Map<String, List<ServerStatus>>> servers, Supplier<List<List<Object>>> budget, Optional<ResultCache> resultCache)
    {
        this.budget = requireNonNull(budget, "budget is null");
        this.resultCache = requireNonNull(resultCache, "resultCache is null");
        this.servers = requireNonNull(servers, "servers is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.transaction = requireNonNull(transaction, "transaction is null");
        this.statements = requireNonNull(statements, "statements is null");
        this.portals = requireNonNull(portals, "portals is null");
        this.tempTables = requireNonNull(tempTables, "tempTables is null");
    }

    /** SET; SET LOCAL outside a transaction block only warns, as in PostgreSQL. */
    void set(Portal portal, SessionStatement.Set set)
    {
        if (set.local() && !transaction.inBlock()) {
            portal.notices().add(new Notice(TransactionEmulation.NO_ACTIVE_TRANSACTION, "SET LOCAL can only be used in transaction blocks"));
        }
        else if (!set.name().isEmpty()) {
            transaction.settingChanging(settings.canonicalName(set.name()), set.local());
            portal.parameterChanges().putAll(settings.set(set.name(), set.values()));
        }
        portal.startCommand("SET");
    }

    void reset(Portal portal, SessionStatement.Reset reset)
    {
        transaction.settingsChanging();
        portal.parameterChanges().putAll(reset.name().map(settings::reset).orElseGet(settings::resetAll));
        portal.startCommand("RESET");
    }

    /** SHOW name or SHOW ALL, answered from the session's settings; SHOW sekisho.replicas from the sources, SHOW sekisho.cache from the result cache. */
    ListResultStream show(SessionStatement.Show show)
    {
        if (ReplicaList.isReplicaList(show.name())) {
            return ReplicaList.rows(servers.get());
        }
        if (BudgetList.isBudgetList(show.name())) {
            return BudgetList.rows(budget.get());
        }
        if (CacheStatus.isCacheStatus(show.name())) {
            return CacheStatus.rows(resultCache, settings.show(CacheStatus.NAME));
        }
        ColumnType text = ColumnType.of(ColumnType.Kind.TEXT);
        if (show.name().equals("all")) {
            List<List<Object>> rows = new ArrayList<>();
            settings.all().forEach((name, value) -> rows.add(List.of(name, value, "")));
            return new ListResultStream(List.of(new ColumnMetadata("name", text, false, "text"), new ColumnMetadata("setting", text, false, "text"),
                    new ColumnMetadata("description", text, false, "text")), rows);
        }
        String value = settings.show(show.name()).orElseThrow(() -> unknownSetting(show.name()));
        return new ListResultStream(List.of(new ColumnMetadata(settings.canonicalName(show.name()), text, false, "text")), List.of(List.of(value)));
    }

    /** The columns SHOW answers with (Describe before Execute); an unknown setting is 42704 already here. */
    static List<ResultColumn> showColumns(SessionSettings settings, SessionStatement.Show show)
    {
        if (ReplicaList.isReplicaList(show.name())) {
            return ReplicaList.columns();
        }
        if (BudgetList.isBudgetList(show.name())) {
            return BudgetList.columns();
        }
        if (CacheStatus.isCacheStatus(show.name())) {
            return CacheStatus.columns();
        }
        if (show.name().equals("all")) {
            return List.of(ResultColumn.of("name", ColumnType.of(ColumnType.Kind.TEXT)), ResultColumn.of("setting", ColumnType.of(ColumnType.Kind.TEXT)),
                    ResultColumn.of("description", ColumnType.of(ColumnType.Kind.TEXT)));
        }
        if (settings.show(show.name()).isEmpty()) {
            throw unknownSetting(show.name());
        }
        return List.of(ResultColumn.of(settings.canonicalName(show.name()), ColumnType.of(ColumnType.Kind.TEXT)));
    }

    /** DISCARD ALL resets the session as a pool hands it to its next user; DISCARD TEMP drops the temp tables; the rest change nothing here. */
    void discard(Portal portal, SessionStatement.Discard discard)
    {
        switch (discard.what()) {
            case "ALL" -> {
                if (transaction.inBlock()) {
                    throw new QueryException(TransactionEmulation.ACTIVE_TRANSACTION, "DISCARD ALL cannot run inside a transaction block");
                }
                portals.closeAll(portal);
                statements.deallocateAll();
                tempTables.clear();
                transaction.settingsChanging();
                portal.parameterChanges().putAll(settings.resetAll());
                portal.startCommand("DISCARD ALL");
            }
            case "TEMP" -> {
                tempTables.clear();
                portal.startCommand("DISCARD TEMP");
            }
            default -> portal.startCommand("DISCARD " + discard.what());
        }
    }

    /** DEALLOCATE name or DEALLOCATE ALL (the named prepared statements). */
    void deallocate(Portal portal, SessionStatement.Deallocate deallocate)
    {
        Optional<String> name = deallocate.statement();
        if (name.isPresent()) {
            statements.deallocate(name.get());
            portal.startCommand("DEALLOCATE");
        }
        else {
            statements.deallocateAll();
            portal.startCommand("DEALLOCATE ALL");
        }
    }

    private static QueryException unknownSetting(String name)
    {
        return new QueryException(SqlStates.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }
}
