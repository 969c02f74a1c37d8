package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.List;

/** Checks of the values bound to a prepared statement. */
public final class Parameters
{
    private Parameters() {}

    /** Throws PostgreSQL's 08P01 unless {@code expected} values are bound. */
    public static void check(List<Object> parameters, int expected)
    {
        if (parameters.size() != expected) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION,
                    "bind message supplies %d parameters, but prepared statement requires %d".formatted(parameters.size(), expected));
        }
    }
}
