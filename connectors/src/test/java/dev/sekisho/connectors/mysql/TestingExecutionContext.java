package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.ExecutionContext;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link ExecutionContext} like the gateway's: {@link #cancel()} runs the registered actions and
 * {@link #finish()} closes what was registered to close with the statement. One made with
 * {@link #forgetful()} keeps nothing, as a caller that never ends its statements would.
 */
public final class TestingExecutionContext
        implements ExecutionContext
{
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final boolean tracksResources;
    private volatile boolean cancelled;
    private volatile boolean finished;

    public TestingExecutionContext()
    {
        this(true);
    }

    private TestingExecutionContext(boolean tracksResources)
    {
        this.tracksResources = tracksResources;
    }

    /** A context that does not close the statement's resources when it finishes. */
    public static TestingExecutionContext forgetful()
    {
        return new TestingExecutionContext(false);
    }

    @Override
    public Registration closeWithStatement(AutoCloseable resource)
    {
        if (!tracksResources) {
            return () -> {};
        }
        resources.add(resource);
        return () -> resources.remove(resource);
    }

    @Override
    public boolean isFinished()
    {
        return finished;
    }

    @Override
    public String description()
    {
        return "user test: a testing statement";
    }

    /** Ends the statement: closes what is still registered. */
    public void finish()
    {
        finished = true;
        for (AutoCloseable resource : List.copyOf(resources)) {
            try {
                resource.close();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        resources.clear();
    }

    /** How many resources are registered to close with the statement. */
    public int heldResources()
    {
        return resources.size();
    }

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
