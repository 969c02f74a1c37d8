package dev.sekisho.planner.policy;

import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.ExecutionContext;

import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The caller's {@link ExecutionContext} with the session's {@link CatalogView}: how a statement
 * run under a policy tells the catalog emulation what the principal may see.
 */
record PolicyExecutionContext(ExecutionContext delegate, CatalogView catalogView, boolean rowsHiddenByPolicy)
        implements ExecutionContext
{
    /** The catalog emulation's view for a context: the policy's, or everything without a policy. */
    static final CatalogView.Provider VIEWS = context -> context instanceof PolicyExecutionContext policy ? policy.catalogView() : CatalogView.ALL;

    PolicyExecutionContext
    {
        requireNonNull(delegate, "delegate is null");
        requireNonNull(catalogView, "catalogView is null");
    }

    @Override
    public String user()
    {
        return delegate.user();
    }

    @Override
    public int fetchSizeHint()
    {
        return delegate.fetchSizeHint();
    }

    @Override
    public Registration onCancel(Runnable action)
    {
        return delegate.onCancel(action);
    }

    @Override
    public OptionalLong maximumBytesBilled()
    {
        return delegate.maximumBytesBilled();
    }

    @Override
    public void billed(long bytes)
    {
        delegate.billed(bytes);
    }

    @Override
    public boolean admittedAsCacheHit()
    {
        return delegate.admittedAsCacheHit();
    }

    @Override
    public Optional<String> setting(String name)
    {
        return delegate.setting(name);
    }

    @Override
    public Registration closeWithStatement(AutoCloseable resource)
    {
        return delegate.closeWithStatement(resource);
    }

    @Override
    public boolean isFinished()
    {
        return delegate.isFinished();
    }

    @Override
    public String description()
    {
        return delegate.description();
    }

    @Override
    public boolean isCancelled()
    {
        return delegate.isCancelled();
    }

    @Override
    public Optional<String> cancelReason()
    {
        return delegate.cancelReason();
    }

    @Override
    public void answeredFromCache()
    {
        delegate.answeredFromCache();
    }

    @Override
    public Optional<BackendQuery> checkedFragment()
    {
        return delegate.checkedFragment();
    }

    @Override
    public Optional<ResultStream> arrivedRows()
    {
        return delegate.arrivedRows();
    }
}
