package dev.sekisho.it.bigquery;

import dev.sekisho.planner.spi.ExecutionContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/** An execution context a test cancels, with session settings of its choice. */
final class TestingContext
        implements ExecutionContext
{
    private final String user;
    private final Map<String, String> settings;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile String cancelReason;

    TestingContext(String user, Map<String, String> settings)
    {
        this.user = requireNonNull(user, "user is null");
        this.settings = Map.copyOf(settings);
    }

    @Override
    public String user()
    {
        return user;
    }

    @Override
    public Optional<String> setting(String name)
    {
        return Optional.ofNullable(settings.get(name));
    }

    @Override
    public Registration onCancel(Runnable action)
    {
        actions.add(action);
        if (cancelReason != null) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    void cancel(String reason)
    {
        cancelReason = reason;
        actions.forEach(Runnable::run);
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
}
