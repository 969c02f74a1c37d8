package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ClientSession;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * One Avatica connection: the client's connection id, the principal who opened it and its
 * {@link ClientSession}, with the connection's statements. HTTP requests of one connection may
 * arrive on several sockets at once; the lock makes them take turns, because a session handles one
 * call at a time. {@link #cancel()} works without the lock (from a request that closes a statement
 * while another request runs it).
 */
final class RemoteConnection
{
    private final String id;
    private final String user;
    private final ClientSession session;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, RemoteStatement> statements = new LinkedHashMap<>();
    private int nextStatementId = 1;
    private volatile long lastUsedNanos = System.nanoTime();
    /** The statement whose request runs now, 0: none. */
    private volatile int running;
    private boolean autoCommit = true;
    /** Whether a request of this connection runs on a source-holder thread now: one at a time, so a client cannot take many. */
    private final AtomicBoolean holderRequest = new AtomicBoolean();
    private boolean closed;

    RemoteConnection(String id, String user, ClientSession session)
    {
        this.id = requireNonNull(id, "id is null");
        this.user = requireNonNull(user, "user is null");
        this.session = requireNonNull(session, "session is null");
    }

    String id()
    {
        return id;
    }

    /** Who opened the connection: only this user's requests may use it. */
    String user()
    {
        return user;
    }

    ClientSession session()
    {
        return session;
    }

    /** Takes the connection for one request; false when it was closed meanwhile. */
    boolean lock()
    {
        try {
            lock.lockInterruptibly();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (closed) {
            lock.unlock();
            return false;
        }
        lastUsedNanos = System.nanoTime();
        return true;
    }

    void unlock()
    {
        lastUsedNanos = System.nanoTime();
        lock.unlock();
    }

    /** Takes the connection's one turn on a source-holder thread; false when a request of it has it already. */
    boolean startHolderRequest()
    {
        return holderRequest.compareAndSet(false, true);
    }

    void holderRequestFinished()
    {
        holderRequest.set(false);
    }

    /** Whether nobody used the connection for {@code idleNanos} and no request holds it. */
    boolean isIdle(long nowNanos, long idleNanos)
    {
        return nowNanos - lastUsedNanos > idleNanos && !lock.isLocked();
    }

    /** Takes the connection for closing it, even while a request runs: that request's statement is cancelled first. */
    boolean lockForClose(int statementId)
    {
        if (running != 0 && (statementId == 0 || running == statementId)) {
            session.cancel();
        }
        try {
            if (!lock.tryLock(30, TimeUnit.SECONDS)) {
                return false;
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (closed) {
            lock.unlock();
            return false;
        }
        return true;
    }

    RemoteStatement createStatement()
    {
        RemoteStatement statement = new RemoteStatement(nextStatementId++);
        statements.put(statement.id(), statement);
        return statement;
    }

    RemoteStatement statement(Meta.StatementHandle handle)
            throws NoSuchStatementException
    {
        RemoteStatement statement = statements.get(handle.id);
        if (statement == null) {
            throw new NoSuchStatementException(handle);
        }
        return statement;
    }

    /** The statement with this id, created when the client names one the server does not know yet (it reconnected). */
    RemoteStatement statementOrNew(int statementId)
    {
        return statements.computeIfAbsent(statementId, RemoteStatement::new);
    }

    RemoteStatement remove(int statementId)
    {
        return statements.remove(statementId);
    }

    Collection<RemoteStatement> statements()
    {
        return statements.values();
    }

    /** Whether some statement still has a result open (then the implicit transaction goes on). */
    boolean hasOpenResult()
    {
        return statements.values().stream().anyMatch(RemoteStatement::isPortalOpen);
    }

    void running(int statementId)
    {
        running = statementId;
    }

    boolean isAutoCommit()
    {
        return autoCommit;
    }

    void setAutoCommit(boolean autoCommit)
    {
        this.autoCommit = autoCommit;
    }

    /** Marks the connection closed (under the lock); later requests find it gone. */
    void markClosed()
    {
        closed = true;
        statements.clear();
    }
}
