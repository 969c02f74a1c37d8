package dev.sekisho.it.bench;

import java.sql.SQLException;

/** One way to look a customer up by id; holds its connection. */
interface Lookup
        extends AutoCloseable
{
    void run(long id)
            throws SQLException;

    @Override
    void close()
            throws SQLException;

    /** Opens one client's lookup (its own connection). */
    interface Factory
    {
        Lookup open()
                throws SQLException;
    }
}
