package dev.sekisho.gateway.session;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ServerStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code SHOW sekisho.replicas}: every server of every source as routing sees it now, one row
 * each, for admins (docs/routing.md). It shows names, states, lags, counts and the last error
 * (sanitised by the connector: no hosts' secrets, never a password).
 */
final class ReplicaList
{
    /** The name SHOW answers to. */
    static final String NAME = "sekisho.replicas";

    private static final List<Column> COLUMNS = List.of(
            new Column("source", ColumnType.Kind.TEXT),
            new Column("server", ColumnType.Kind.TEXT),
            new Column("role", ColumnType.Kind.TEXT),
            new Column("state", ColumnType.Kind.TEXT),
            new Column("lag_seconds", ColumnType.Kind.DOUBLE),
            new Column("active_statements", ColumnType.Kind.INTEGER),
            new Column("idle_connections", ColumnType.Kind.INTEGER),
            new Column("waiting_statements", ColumnType.Kind.INTEGER),
            new Column("retried_elsewhere", ColumnType.Kind.BIGINT),
            new Column("last_error", ColumnType.Kind.TEXT));

    private record Column(String name, ColumnType.Kind kind) {}

    private ReplicaList() {}

    static boolean isReplicaList(String name)
    {
        return NAME.equalsIgnoreCase(name);
    }

    static List<ResultColumn> columns()
    {
        return COLUMNS.stream().map(column -> ResultColumn.of(column.name(), ColumnType.of(column.kind()))).toList();
    }

    /** The rows: lag_seconds is {@code Infinity} for a server that is infinitely stale, NULL when never measured. */
    static ListResultStream rows(Map<String, List<ServerStatus>> servers)
    {
        List<ColumnMetadata> columns = COLUMNS.stream()
                .map(column -> new ColumnMetadata(column.name(), ColumnType.of(column.kind()), true, column.kind().name().toLowerCase(java.util.Locale.ROOT)))
                .toList();
        List<List<Object>> rows = new ArrayList<>();
        servers.forEach((source, statuses) -> {
            for (ServerStatus status : statuses) {
                rows.add(Arrays.asList(source, status.name(), status.role(), status.state(),
                        status.lagSeconds().isPresent() ? (Object) status.lagSeconds().getAsDouble() : null,
                        status.activeConnections(), status.idleConnections(), status.waitingStatements(), status.retriedElsewhere(),
                        status.lastError().orElse(null)));
            }
        });
        return new ListResultStream(columns, rows);
    }
}
