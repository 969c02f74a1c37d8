package dev.sekisho.gateway.audit;

import java.io.IOException;

/** Where the audit log's thread puts its lines: a file (rotated) in production, anything in tests. Used by one thread. */
public interface AuditWriter
        extends AutoCloseable
{
    /** Appends one line (without its line break). */
    void write(String line)
            throws IOException;

    /** Makes what was written durable enough to survive the process (the queue is empty now). */
    void flush()
            throws IOException;

    @Override
    void close()
            throws IOException;
}
