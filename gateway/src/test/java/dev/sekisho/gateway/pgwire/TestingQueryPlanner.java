package dev.sekisho.gateway.pgwire;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A planner double that knows a few canned statements:
 * <ul>
 *   <li>{@code select 1} and {@code select $1::int}</li>
 *   <li>{@code select n from series(N)}: N rows of bigint generated lazily (for streaming tests)</li>
 *   <li>{@code select * from people where id = $1}: typed parameter, varchar/numeric columns</li>
 *   <li>{@code select * from all_types}: one row with every type, and one row of NULLs</li>
 *   <li>{@code select n from failing(N)}: fails with 57014 after N rows</li>
 *   <li>{@code select n from slow_series(N)}: N rows of bigint, each taking a millisecond to come on the
 *       planner's clock ({@link #nanoTime()}), which nothing else moves</li>
 *   <li>{@code select n from arriving(N, K)}: N rows of bigint of which only the first K have arrived
 *       ({@link ResultStream#nextRowArrived()}); the rest come when read</li>
 *   <li>{@code select * from empty}: no rows</li>
 *   <li>{@code select * from catalog_types}: catalog-typed columns ({@code name}, {@code oid},
 *       {@code "char"}, {@code text[]}, {@code int2vector}, {@code int2[]}, {@code oidvector},
 *       {@code oid[]}) with the values as the catalog emulation holds them, two rows and a row of
 *       NULLs; {@code select relacl from catalog_types}: an {@code aclitem[]} column</li>
 *   <li>{@code select * from source_types}: array, enum and domain columns as a source reports them
 *       ({@code text[]}, {@code int8[]}, an enum {@code mood}, a domain {@code posint} over integer,
 *       {@code mood[]}), values as Java lists and strings, two rows and a row of NULLs</li>
 *   <li>{@code select n from blocking(N)}: N rows, then blocks until the statement is cancelled and
 *       fails with 57014 (as the MySQL connector does); {@code blocking_raw(N)} fails with 08006
 *       instead, like a source whose connection was cut by the cancel</li>
 *   <li>anything with {@code missing}: 42P01; anything else: 42601</li>
 * </ul>
 */
public final class TestingQueryPlanner
        implements QueryPlanner
{
    private static final Pattern SERIES = Pattern.compile("select n from series\\((\\d+)\\)");
    private static final Pattern FAILING = Pattern.compile("select n from failing\\((\\d+)\\)");
    private static final Pattern SLOW_SERIES = Pattern.compile("select n from slow_series\\((\\d+)\\)");
    private static final Pattern ARRIVING = Pattern.compile("select n from arriving\\((\\d+), (\\d+)\\)");
    private static final Pattern BLOCKING = Pattern.compile("select n from blocking(_raw)?\\((\\d+)\\)");
    private static final Pattern THROWING = Pattern.compile("select n from (prepare|execute|read)_throws\\((\\w+)\\)");

    public static final List<ResultColumn> ALL_TYPES_COLUMNS = List.of(
            ResultColumn.of("b", ColumnType.of(ColumnType.Kind.BOOLEAN)),
            ResultColumn.of("i2", ColumnType.of(ColumnType.Kind.SMALLINT)),
            ResultColumn.of("i4", ColumnType.of(ColumnType.Kind.INTEGER)),
            ResultColumn.of("i8", ColumnType.of(ColumnType.Kind.BIGINT)),
            ResultColumn.of("f4", ColumnType.of(ColumnType.Kind.REAL)),
            ResultColumn.of("f8", ColumnType.of(ColumnType.Kind.DOUBLE)),
            ResultColumn.of("num", ColumnType.decimal(10, 2)),
            ResultColumn.of("ch", ColumnType.character(3)),
            ResultColumn.of("vc", ColumnType.varchar(20)),
            ResultColumn.of("tx", ColumnType.of(ColumnType.Kind.TEXT)),
            ResultColumn.of("d", ColumnType.of(ColumnType.Kind.DATE)),
            ResultColumn.of("t", ColumnType.of(ColumnType.Kind.TIME)),
            ResultColumn.of("ts", ColumnType.of(ColumnType.Kind.TIMESTAMP)),
            ResultColumn.of("tstz", ColumnType.of(ColumnType.Kind.TIMESTAMP_WITH_TIME_ZONE)),
            ResultColumn.of("by", ColumnType.of(ColumnType.Kind.BINARY)),
            ResultColumn.of("js", ColumnType.of(ColumnType.Kind.JSON)),
            ResultColumn.of("u", ColumnType.of(ColumnType.Kind.UUID)));

    public static final List<Object> ALL_TYPES_ROW = List.of(
            true, (short) 12, 123456, 1234567890123L, 1.5f, 0.1, new BigDecimal("12345.67"), "ab ", "héllo", "line\nbreak",
            LocalDate.of(2024, 2, 29), LocalTime.of(13, 45, 6, 123_000_000), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 600_000),
            OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(9)), new byte[] {0, 1, (byte) 0xFE}, "{\"a\": 1}",
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));

    public static final List<ResultColumn> CATALOG_TYPES_COLUMNS = List.of(
            catalogColumn("relname", ColumnType.Kind.VARCHAR, PgTypeInfo.NAME),
            catalogColumn("oid", ColumnType.Kind.BIGINT, PgTypeInfo.OID),
            catalogColumn("relkind", ColumnType.Kind.VARCHAR, PgTypeInfo.CHAR),
            catalogColumn("reloptions", ColumnType.Kind.VARCHAR, PgTypeInfo.TEXT_ARRAY),
            catalogColumn("indkey", ColumnType.Kind.VARCHAR, PgTypeInfo.INT2VECTOR),
            catalogColumn("indoption", ColumnType.Kind.VARCHAR, PgTypeInfo.INT2_ARRAY),
            catalogColumn("proargtypes", ColumnType.Kind.VARCHAR, PgTypeInfo.OIDVECTOR),
            catalogColumn("typarray", ColumnType.Kind.VARCHAR, PgTypeInfo.OID_ARRAY));

    public static final List<List<Object>> CATALOG_TYPES_ROWS = List.of(
            Arrays.asList("people", 16384L, "r", "{fillfactor=70,\"a b\",NULL,\"q\\\"t\"}", "1 2", "{0,-1}", "23 25", "{23,4294967295}"),
            Arrays.asList("naïve_table", 4294967295L, "v", "{}", "", "{}", "", "{}"),
            Collections.nCopies(8, null));

    public static final ColumnType MOOD = ColumnType.enumeration("public", "mood", List.of("sad", "ok", "happy"));

    public static final List<ResultColumn> SOURCE_TYPES_COLUMNS = List.of(
            ResultColumn.of("tags", ColumnType.array(ColumnType.of(ColumnType.Kind.TEXT))),
            ResultColumn.of("counts", ColumnType.array(ColumnType.of(ColumnType.Kind.BIGINT))),
            ResultColumn.of("m", MOOD),
            ResultColumn.of("p", ColumnType.domain("public", "posint", ColumnType.of(ColumnType.Kind.INTEGER))),
            ResultColumn.of("ms", ColumnType.array(MOOD)));

    public static final List<List<Object>> SOURCE_TYPES_ROWS = List.of(
            Arrays.asList(Arrays.asList("a", "b c", null, "q\"t,{}"), List.of(1L, -2L, 3_000_000_000L), "happy", 7, List.of("sad", "happy")),
            Arrays.asList(List.of(), List.of(), "sad", 1, List.of()),
            Collections.nCopies(5, null));

    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger closedStreams = new AtomicInteger();
    private final AtomicInteger prepares = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong rowsProduced = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    /** Rows of {@code arriving} streams delivered since they started ({@link #deliver}). */
    private final java.util.concurrent.atomic.AtomicLong laterArrivals = new java.util.concurrent.atomic.AtomicLong();
    private volatile SessionContext lastSession;
    private final java.util.concurrent.Semaphore blocked = new java.util.concurrent.Semaphore(0);
    private final AtomicInteger cancelActionsRun = new AtomicInteger();

    /** Waits until a {@code blocking(N)} stream has sent its rows and blocks. */
    public boolean awaitBlocked(long timeout, java.util.concurrent.TimeUnit unit)
            throws InterruptedException
    {
        return blocked.tryAcquire(timeout, unit);
    }

    /** How many cancel actions registered by {@code blocking(N)} streams have run. */
    public int cancelActionsRun()
    {
        return cancelActionsRun.get();
    }

    private final AtomicInteger heldResources = new AtomicInteger();

    /**
     * Resources that {@code execute_throws(...)} registered with its statement and that are not
     * closed yet: what an engine failing half-way would leak without the statement's end.
     */
    public int heldResources()
    {
        return heldResources.get();
    }

    /** What {@code *_throws(kind)} throws: every kind an engine or driver may throw. */
    static Throwable throwable(String kind)
    {
        return switch (kind) {
            case "assertion" -> new AssertionError("interpreter: no implementation for class org.apache.calcite.rel.logical.LogicalTableSpool");
            case "npe" -> new NullPointerException("name is null");
            case "nfe" -> new NumberFormatException("For input string: \"{1,2}\"");
            case "initializer" -> new ExceptionInInitializerError(new NumberFormatException("For input string: \"x\""));
            case "arithmetic" -> new ArithmeticException("/ by zero");
            case "stackoverflow" -> new StackOverflowError();
            case "unsupported" -> new UnsupportedOperationException("no");
            case "aggregate" -> new IllegalArgumentException("Unable to get aggregate implementation for aggregate PERCENTILE_CONT");
            default -> new IllegalStateException(kind);
        };
    }

    private static RuntimeException sneakyThrow(Throwable throwable)
    {
        if (throwable instanceof Error error) {
            throw error;
        }
        throw (RuntimeException) throwable;
    }

    /** Streams opened and not yet closed. */
    public int openStreams()
    {
        return openStreams.get();
    }

    public int closedStreams()
    {
        return closedStreams.get();
    }

    /** The planner's clock: moved only by the rows of {@code slow_series}, a millisecond each. */
    public long nanoTime()
    {
        return nanos.get();
    }

    /** The source delivers {@code rows} more rows of every {@code arriving} stream (they count as arrived from now on). */
    public void deliver(long rows)
    {
        laterArrivals.addAndGet(rows);
    }

    /** Rows handed out by all streams so far. */
    public long rowsProduced()
    {
        return rowsProduced.get();
    }

    public int prepares()
    {
        return prepares.get();
    }

    public SessionContext lastSession()
    {
        return lastSession;
    }

    @Override
    public PreparedQuery prepare(String sql, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        prepares.incrementAndGet();
        lastSession = session;
        String text = sql.replaceAll("/\\*.*?\\*/|--[^\n]*", " ").strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (text.contains("missing")) {
            throw new QueryException(SqlStates.UNDEFINED_TABLE, "relation \"missing\" does not exist");
        }
        ColumnType integer = ColumnType.of(ColumnType.Kind.INTEGER);
        ColumnType bigint = ColumnType.of(ColumnType.Kind.BIGINT);
        Matcher throwing = THROWING.matcher(text);
        if (throwing.matches()) {
            Throwable failure = throwable(throwing.group(2));
            switch (throwing.group(1)) {
                case "prepare":
                    throw sneakyThrow(failure);
                case "execute":
                    // an engine that opens two source resources, then fails without closing them
                    return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), (ContextExecutor) (parameters, context) -> {
                        for (int i = 0; i < 2; i++) {
                            heldResources.incrementAndGet();
                            AtomicInteger once = new AtomicInteger();
                            context.closeWithStatement(() -> {
                                if (once.getAndIncrement() == 0) {
                                    heldResources.decrementAndGet();
                                }
                            });
                        }
                        throw sneakyThrow(failure);
                    });
                default:
                    return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), parameters -> new ResultStream()
                    {
                        private int read;

                        @Override
                        public List<ColumnMetadata> columns()
                        {
                            return List.of(new ColumnMetadata("n", bigint, false, "bigint"));
                        }

                        @Override
                        public boolean next()
                        {
                            if (read++ == 1) {
                                throw sneakyThrow(failure);
                            }
                            return true;
                        }

                        @Override
                        public Object value(int column)
                        {
                            return 1L;
                        }

                        @Override
                        public void close() {}
                    });
            }
        }
        switch (text) {
            case "select 1":
                return query(sql, List.of(ResultColumn.of("?column?", integer)), List.of(), parameters -> rows(List.of(List.of(1))));
            case "select $1::int":
                return query(sql, List.of(ResultColumn.of("int4", integer)), List.of(integer), parameters -> rows(List.of(listOf(parameters.get(0)))));
            case "select $1":
                ColumnType declared = declaredParameterTypes.isEmpty() || declaredParameterTypes.get(0) == null
                        ? ColumnType.of(ColumnType.Kind.TEXT) : declaredParameterTypes.get(0);
                return query(sql, List.of(ResultColumn.of("?column?", declared)), List.of(declared), parameters -> rows(List.of(listOf(parameters.get(0)))));
            case "select * from people where id = $1":
                return query(sql, List.of(ResultColumn.of("id", integer), ResultColumn.of("name", ColumnType.varchar(20)),
                                ResultColumn.of("balance", ColumnType.decimal(10, 2))), List.of(integer),
                        parameters -> {
                            int id = (Integer) parameters.get(0);
                            return id > 100 ? rows(List.of()) : rows(List.of(List.of(id, "person " + id, new BigDecimal(id + ".50"))));
                        });
            case "select * from all_types":
                return query(sql, ALL_TYPES_COLUMNS, List.of(), parameters -> {
                    List<Object> nulls = new ArrayList<>();
                    ALL_TYPES_COLUMNS.forEach(column -> nulls.add(null));
                    return rows(List.of(ALL_TYPES_ROW, nulls));
                });
            case "select * from source_types":
                return query(sql, SOURCE_TYPES_COLUMNS, List.of(), parameters -> rows(SOURCE_TYPES_ROWS));
            case "select * from catalog_types":
                return query(sql, CATALOG_TYPES_COLUMNS, List.of(), parameters -> rows(CATALOG_TYPES_ROWS));
            case "select relacl from catalog_types":
                return query(sql, List.of(catalogColumn("relacl", ColumnType.Kind.VARCHAR, PgTypeInfo.ACLITEM_ARRAY)), List.of(),
                        parameters -> rows(List.of(List.of("{alice=r/alice}"))));
            case "select * from empty":
                return query(sql, List.of(ResultColumn.of("id", integer)), List.of(), parameters -> rows(List.of()));
            default:
                break;
        }
        Matcher series = SERIES.matcher(text);
        if (series.matches()) {
            long count = Long.parseLong(series.group(1));
            return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), parameters -> generated(count, -1, row -> row));
        }
        Matcher blocking = BLOCKING.matcher(text);
        if (blocking.matches()) {
            long count = Long.parseLong(blocking.group(2));
            boolean raw = blocking.group(1) != null;
            return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), (parameters, context) -> blocking(count, raw, context));
        }
        Matcher slow = SLOW_SERIES.matcher(text);
        if (slow.matches()) {
            long count = Long.parseLong(slow.group(1));
            return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), parameters -> generated(count, -1, row -> {
                nanos.addAndGet(1_000_000);
                return row;
            }));
        }
        Matcher arriving = ARRIVING.matcher(text);
        if (arriving.matches()) {
            long count = Long.parseLong(arriving.group(1));
            long arrived = Long.parseLong(arriving.group(2));
            return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), parameters -> generated(count, -1, arrived, row -> row));
        }
        Matcher failing = FAILING.matcher(text);
        if (failing.matches()) {
            long count = Long.parseLong(failing.group(1));
            return query(sql, List.of(ResultColumn.of("n", bigint)), List.of(), parameters -> generated(count + 1, count, row -> row));
        }
        throw new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at or near \"" + text.split(" ")[0] + "\"");
    }

    @Override
    public void refresh() {}

    private static ResultColumn catalogColumn(String name, ColumnType.Kind kind, int typeOid)
    {
        return new ResultColumn(name, ColumnType.of(kind), Optional.empty(), typeOid);
    }

    private static List<Object> listOf(Object value)
    {
        List<Object> list = new ArrayList<>();
        list.add(value);
        return list;
    }

    private ResultStream rows(List<List<Object>> rows)
    {
        return generated(rows.size(), -1, row -> rows.get((int) row));
    }

    private ResultStream generated(long count, long failAt, java.util.function.LongFunction<Object> row)
    {
        return generated(count, failAt, -1, row);
    }

    /** @param arrived how many rows (counting the end or the failure as one) are at hand without waiting; -1: all */
    private ResultStream generated(long count, long failAt, long arrived, java.util.function.LongFunction<Object> row)
    {
        openStreams.incrementAndGet();
        return new ResultStream()
        {
            private long position = -1;
            private boolean closed;

            @Override
            public List<ColumnMetadata> columns()
            {
                return List.of();
            }

            @Override
            public boolean next()
            {
                if (closed) {
                    throw new QueryException(SqlStates.QUERY_CANCELED, "canceling statement due to user request");
                }
                position++;
                if (position == failAt) {
                    throw new QueryException(SqlStates.QUERY_CANCELED, "canceling statement due to statement timeout");
                }
                if (position < count) {
                    rowsProduced.incrementAndGet();
                    return true;
                }
                return false;
            }

            @Override
            public boolean nextRowArrived()
            {
                return arrived < 0 || position + 1 < arrived + laterArrivals.get();
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object value(int column)
            {
                Object value = row.apply(position);
                return value instanceof List<?> list ? list.get(column) : value;
            }

            @Override
            public void close()
            {
                if (!closed) {
                    closed = true;
                    openStreams.decrementAndGet();
                    closedStreams.incrementAndGet();
                }
            }
        };
    }

    private ResultStream blocking(long count, boolean raw, ExecutionContext context)
    {
        java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
        ExecutionContext.Registration registration = context.onCancel(() -> {
            cancelActionsRun.incrementAndGet();
            cancelled.countDown();
        });
        ResultStream rows = generated(count, -1, row -> row);
        return new ResultStream()
        {
            private boolean rowsDone;

            @Override
            public List<ColumnMetadata> columns()
            {
                return List.of();
            }

            @Override
            public boolean next()
            {
                if (!rowsDone && rows.next()) {
                    return true;
                }
                rowsDone = true;
                blocked.release();
                try {
                    if (!cancelled.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("blocking stream was not cancelled within 60 seconds");
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (raw) {
                    throw new QueryException(SqlStates.CONNECTION_FAILURE, "communications link failure");
                }
                throw new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElseThrow());
            }

            @Override
            public Object value(int column)
            {
                return rows.value(column);
            }

            @Override
            public void close()
            {
                registration.close();
                rows.close();
            }
        };
    }

    private static PreparedQuery query(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, Executor executor)
    {
        return query(sql, columns, parameterTypes, (ContextExecutor) (parameters, context) -> executor.execute(parameters));
    }

    private static PreparedQuery query(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, ContextExecutor executor)
    {
        return new PreparedQuery()
        {
            @Override
            public String sql()
            {
                return sql;
            }

            @Override
            public List<ResultColumn> columns()
            {
                return columns;
            }

            @Override
            public List<ColumnType> parameterTypes()
            {
                return parameterTypes;
            }

            @Override
            public ResultStream execute(List<Object> parameters, ExecutionContext context)
            {
                return executor.execute(parameters, context);
            }

            @Override
            public String explain()
            {
                return "testing: " + sql;
            }

            @Override
            public boolean isFullyPushedDown()
            {
                return true;
            }
        };
    }

    private interface Executor
    {
        ResultStream execute(List<Object> parameters);
    }

    private interface ContextExecutor
    {
        ResultStream execute(List<Object> parameters, ExecutionContext context);
    }

}
