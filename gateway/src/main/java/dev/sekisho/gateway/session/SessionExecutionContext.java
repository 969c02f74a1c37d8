package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.ExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The {@link ExecutionContext} of one portal's execution; {@link #cancel(String)} may come from any
 * thread (a CancelRequest, a closed connection).
 */
public final class SessionExecutionContext
        implements ExecutionContext
{
    private static final Logger log = LoggerFactory.getLogger(SessionExecutionContext.class);

    private final String user;
    private final int fetchSizeHint;
    private final Function<String, Optional<String>> settings;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile String cancelReason;

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
