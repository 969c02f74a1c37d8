package dev.sekisho.gateway.admin;

import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.execution.StatementListener;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What each session runs now, for the admin endpoint's session list. Thread-safe. */
public final class SessionActivity
        implements StatementListener
{
    private final Map<Integer, StatementInfo> running = new ConcurrentHashMap<>();

    @Override
    public void started(StatementInfo statement)
    {
        running.put(statement.session().id(), statement);
    }

    @Override
    public void suspended(StatementInfo statement, long rows)
    {
        running.remove(statement.session().id(), statement);
    }

    @Override
    public void finished(StatementInfo statement, long rows, Optional<Throwable> failure)
    {
        running.remove(statement.session().id(), statement);
    }

    /** The statement session {@code sessionId} runs now, if any. */
    public Optional<StatementInfo> running(int sessionId)
    {
        return Optional.ofNullable(running.get(sessionId));
    }
}
