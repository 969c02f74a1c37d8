package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

/**
 * PostgreSQL's session functions as Calcite user-defined functions (see {@link PgCatalogFunctions}):
 * the server's version, the session's settings ({@code current_setting}), {@code pg_sleep}, which
 * notices a cancel of the statement running on this thread ({@link PgExecution}), and the
 * placeholders the planner replaces ({@code pg_typeof}).
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgSessionFunctions
{
    /** What {@code version()} answers; clients parse {@code PostgreSQL \d+(\.\d+)?}. */
    public static final String VERSION = "PostgreSQL 15.0 on x86_64-pc-linux-gnu, compiled by Sekisho, 64-bit";

    private PgSessionFunctions() {}

    public static String version()
    {
        return VERSION;
    }

    /** {@code current_setting(name)}: the session's value, as SHOW answers it; 42704 for a setting nobody knows. */
    @org.apache.calcite.linq4j.function.NonDeterministic
    public static String current_setting(Object name)
    {
        return current_setting(name, false);
    }

    /** {@code current_setting(name, missing_ok)}: NULL instead of an error for an unknown setting when {@code missing_ok}. */
    @org.apache.calcite.linq4j.function.NonDeterministic
    public static String current_setting(Object name, Boolean missingOk)
    {
        if (name == null) {
            return null;
        }
        String setting = name.toString().strip();
        java.util.Optional<String> value = PgExecution.setting(setting).or(() -> PgCatalogRelations.defaultSetting(setting));
        if (value.isPresent() || Boolean.TRUE.equals(missingOk)) {
            return value.orElse(null);
        }
        throw new QueryException(SqlStates.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + setting + "\"",
                "SHOW ALL lists the settings.", null);
    }

    /** {@code pg_typeof(x)}: the planner replaces every call with its operand's type name, once types are known. */
    @org.apache.calcite.linq4j.function.NonDeterministic
    public static String pg_typeof(Object value)
    {
        throw new IllegalStateException("pg_typeof is replaced at planning");
    }

    public static Integer pg_backend_pid()
    {
        return 0;
    }

    /**
     * Sleeps, stopping with 57014 when the statement is cancelled; PostgreSQL's {@code pg_sleep}
     * returns void, shown here as an empty string.
     */
    public static String pg_sleep(Double seconds)
    {
        if (seconds != null && seconds > 0) {
            PgExecution.sleep((long) (seconds * 1000));
        }
        return "";
    }
}
