package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.ExecutionContext;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link ExecutionContext} whose {@link #cancel()} runs the registered actions, like the gateway's. */
public final class TestingExecutionContext
        implements ExecutionContext
{
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    @Override
    public String user()
    {
        return "test";
    }

    @Override
    public Registration onCancel(Runnable action)
    {
        actions.add(action);
        if (cancelled) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    public void cancel()
    {
        cancelled = true;
        actions.forEach(Runnable::run);
    }

    /** How many cancel actions are still registered. */
    public int registrations()
    {
        return actions.size();
    }

    @Override
    public boolean isCancelled()
    {
        return cancelled;
    }

    @Override
    public Optional<String> cancelReason()
    {
        return cancelled ? Optional.of("canceling statement due to user request") : Optional.empty();
    }
}
