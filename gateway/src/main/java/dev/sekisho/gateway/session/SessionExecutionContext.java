package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * The {@link ExecutionContext} of one portal's execution; {@link #cancel(String)} may come from any
 * thread (a CancelRequest, a closed connection). {@link #finish()} ends the statement: whatever the
 * sources still hold for it (registered with {@link #closeWithStatement}) is closed then, so that no
 * path through the planner or an engine can keep a source connection after its statement.
 */
public final class SessionExecutionContext
        implements ExecutionContext
{
    private static final Logger log = LoggerFactory.getLogger(SessionExecutionContext.class);

    private final String user;
    private final int fetchSizeHint;
    private final Function<String, Optional<String>> settings;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    /** Resources held for the statement, in the order they were taken; guarded by this. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile String cancelReason;
    private volatile boolean finished;
    /** The statement's text as given, described only when a log line asks (never for a statement that logs nothing). */
    private volatile String statement;
    private volatile String description = "";
    private volatile OptionalLong maximumBytesBilled = OptionalLong.empty();
    private volatile LongConsumer billing = bytes -> {};
    private volatile boolean answeredFromCache;
    private volatile boolean admittedAsCacheHit;
    private volatile Optional<BackendQuery> checkedFragment = Optional.empty();
    /** Rows of the checked fragment that arrived on a front door's I/O thread, until the plan takes them; guarded by this. */
    private ResultStream arrivedRows;

    public SessionExecutionContext(String user, int fetchSizeHint)
    {
        this(user, fetchSizeHint, name -> Optional.empty());
    }

    /**
     * @param settings the session's settings by case-insensitive name, as SHOW answers them, for {@code current_setting}
     */
    public SessionExecutionContext(String user, int fetchSizeHint, Function<String, Optional<String>> settings)
    {
        this.user = requireNonNull(user, "user is null");
        this.fetchSizeHint = fetchSizeHint;
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The cost guard's cap on the bytes the statement may be billed for, and where the billed bytes go. */
    public SessionExecutionContext billedTo(OptionalLong maximumBytesBilled, LongConsumer billing)
    {
        this.maximumBytesBilled = requireNonNull(maximumBytesBilled, "maximumBytesBilled is null");
        this.billing = requireNonNull(billing, "billing is null");
        return this;
    }

    /** Whether the cost guard admitted the statement as a result-cache hit, without an estimate. */
    public SessionExecutionContext admittedAsCacheHit(boolean admitted)
    {
        this.admittedAsCacheHit = admitted;
        return this;
    }

    @Override
    public boolean admittedAsCacheHit()
    {
        return admittedAsCacheHit;
    }

    /** The source statement checked against the result cache before the run (see {@link ExecutionContext#checkedFragment}). */
    public SessionExecutionContext checkedFragment(Optional<BackendQuery> fragment)
    {
        this.checkedFragment = requireNonNull(fragment, "fragment is null");
        return this;
    }

    @Override
    public Optional<BackendQuery> checkedFragment()
    {
        return checkedFragment;
    }

    /**
     * The rows of {@link #checkedFragment()} that arrived already on a front door's I/O thread
     * (see {@link ExecutionContext#arrivedRows}): the plan takes them once; rows it never took are
     * closed when the statement ends.
     */
    public SessionExecutionContext arrivedRows(Optional<ResultStream> rows)
    {
        requireNonNull(rows, "rows is null");
        synchronized (this) {
            arrivedRows = rows.orElse(null);
        }
        return this;
    }

    @Override
    public Optional<ResultStream> arrivedRows()
    {
        synchronized (this) {
            ResultStream taken = arrivedRows;
            arrivedRows = null;
            return Optional.ofNullable(taken);
        }
    }

    @Override
    public OptionalLong maximumBytesBilled()
    {
        return maximumBytesBilled;
    }

    @Override
    public void billed(long bytes)
    {
        billing.accept(bytes);
    }

    /** Names the statement for log lines about what it holds (its text, shortened; never values). */
    public SessionExecutionContext describedAs(String statement)
    {
        // the text is shortened and its white space folded when a log line reads it: building it cost a
        // regular expression over the statement for every execution, and nearly every statement logs nothing
        this.statement = statement == null ? "" : statement;
        this.description = null;
        return this;
    }

    @Override
    public String description()
    {
        String described = description;
        if (described == null) {
            String text = statement.strip().replaceAll("\\s+", " ");
            described = "user " + user + ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
            description = described;
        }
        return described;
    }

    @Override
    public Registration closeWithStatement(AutoCloseable resource)
    {
        requireNonNull(resource, "resource is null");
        synchronized (this) {
            if (!finished) {
                resources.addLast(resource);
                return () -> {
                    synchronized (this) {
                        resources.removeFirstOccurrence(resource);
                    }
                };
            }
        }
        close(resource);
        return () -> {};
    }

    @Override
    public boolean isFinished()
    {
        return finished;
    }

    /**
     * Ends the statement: closes, newest first, every resource still registered. Later
     * registrations are closed at once. Idempotent; call from the thread that runs the statement.
     */
    public void finish()
    {
        List<AutoCloseable> left;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            left = new ArrayList<>(resources);
            resources.clear();
            if (arrivedRows != null) {
                // rows the plan never took are released first: they were the first thing the statement held
                left.add(0, arrivedRows);
                arrivedRows = null;
            }
        }
        actions.clear();
        for (int i = left.size() - 1; i >= 0; i--) {
            close(left.get(i));
        }
    }

    private void close(AutoCloseable resource)
    {
        try {
            resource.close();
        }
        catch (Exception | Error e) {
            log.warn("Releasing what a statement held failed ({})", description(), e);
        }
    }

    @Override
    public void answeredFromCache()
    {
        answeredFromCache = true;
    }

    /** Whether a source read of the statement was answered by the result cache. */
    public boolean wasAnsweredFromCache()
    {
        return answeredFromCache;
    }

    @Override
    public Optional<String> setting(String name)
    {
        return settings.apply(name);
    }

    @Override
    public String user()
    {
        return user;
    }

    @Override
    public int fetchSizeHint()
    {
        return fetchSizeHint;
    }

    @Override
    public Registration onCancel(Runnable action)
    {
        requireNonNull(action, "action is null");
        actions.add(action);
        if (cancelReason != null && actions.remove(action)) {
            run(action);
        }
        return () -> actions.remove(action);
    }

    @Override
    public boolean isCancelled()
    {
        return cancelReason != null;
    }

    @Override
    public Optional<String> cancelReason()
    {
        return Optional.ofNullable(cancelReason);
    }

    /** Cancels the execution: runs every registered action once. */
    public void cancel(String reason)
    {
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = requireNonNull(reason, "reason is null");
        }
        for (Runnable action : actions) {
            if (actions.remove(action)) {
                run(action);
            }
        }
    }

    private static void run(Runnable action)
    {
        try {
            action.run();
        }
        catch (RuntimeException e) {
            log.warn("Cancel action failed", e);
        }
    }
}
