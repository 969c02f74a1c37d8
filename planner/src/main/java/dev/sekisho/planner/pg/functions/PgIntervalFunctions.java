package dev.sekisho.planner.pg.functions;

import java.math.BigDecimal;
import java.sql.Timestamp;

/**
 * PostgreSQL's interval operators and functions, computed in the gateway over {@link PgInterval}
 * values (the planner rewrites {@code +}, {@code -}, {@code *}, {@code /}, comparisons and
 * {@code extract} of intervals onto them). Every function returns null for a null argument.
 */
@SuppressWarnings("MethodName")
public final class PgIntervalFunctions
{
    /** The function an interval literal or {@code 'text'::interval} becomes where its value is needed. */
    public static final String INTERVAL = "pg_interval";

    private PgIntervalFunctions() {}

    /** {@code 'text'::interval}: PostgreSQL's interval input. */
    public static PgInterval pg_interval(String text)
    {
        return text == null ? null : PgInterval.parse(text);
    }

    public static PgInterval pg_interval_plus(PgInterval a, PgInterval b)
    {
        return a == null || b == null ? null : a.plus(b);
    }

    public static PgInterval pg_interval_minus(PgInterval a, PgInterval b)
    {
        return a == null || b == null ? null : a.minus(b);
    }

    public static PgInterval pg_interval_neg(PgInterval a)
    {
        return a == null ? null : a.negate();
    }

    public static PgInterval pg_interval_mul(PgInterval a, Double factor)
    {
        return a == null || factor == null ? null : a.times(factor);
    }

    public static PgInterval pg_interval_div(PgInterval a, Double divisor)
    {
        return a == null || divisor == null ? null : a.dividedBy(divisor);
    }

    /** The comparison of two intervals, -1, 0 or 1 (months as 30 days, days as 24 hours). */
    public static Integer pg_interval_cmp(PgInterval a, PgInterval b)
    {
        return a == null || b == null ? null : Integer.signum(a.compareTo(b));
    }

    /** {@code extract(unit FROM interval)} as numeric. */
    public static BigDecimal pg_interval_part(String unit, PgInterval a)
    {
        return unit == null || a == null ? null : a.part(unit);
    }

    public static Long pg_interval_months(PgInterval a)
    {
        return a == null ? null : (long) a.months();
    }

    public static Long pg_interval_days(PgInterval a)
    {
        return a == null ? null : (long) a.days();
    }

    public static Long pg_interval_micros(PgInterval a)
    {
        return a == null ? null : a.micros();
    }

    /**
     * {@code sum(interval)} (count 1) and {@code avg(interval)} from the sums of the fields and the
     * count of values ({@code interval_avg}: the field-wise sum divided by the count); null for no values.
     */
    public static PgInterval pg_interval_average(Long months, Long days, Long micros, Long count)
    {
        if (months == null || days == null || micros == null || count == null || count == 0) {
            return null;
        }
        if (months > Integer.MAX_VALUE || months < Integer.MIN_VALUE || days > Integer.MAX_VALUE || days < Integer.MIN_VALUE) {
            throw PgInterval.outOfRange();
        }
        PgInterval sum = new PgInterval(months.intValue(), days.intValue(), micros);
        return count == 1 ? sum : sum.dividedBy(count);
    }

    /** A text that sorts as the interval does (its span, offset to be positive, in fixed width) and holds the interval's fields. */
    public static String pg_interval_sort_key(PgInterval a)
    {
        return a == null ? null : a.sortKey();
    }

    /** The interval held in a {@link #pg_interval_sort_key} text. */
    public static PgInterval pg_interval_of_sort_key(String key)
    {
        return key == null ? null : PgInterval.ofSortKey(key);
    }

    /** {@code interval::text}. */
    public static String pg_interval_text(PgInterval a)
    {
        return a == null ? null : a.toString();
    }

    public static PgInterval justify_hours(PgInterval a)
    {
        return a == null ? null : a.justifyHours();
    }

    public static PgInterval justify_days(PgInterval a)
    {
        return a == null ? null : a.justifyDays();
    }

    public static PgInterval justify_interval(PgInterval a)
    {
        return a == null ? null : a.justifyInterval();
    }

    /** {@code age(timestamp, timestamp)} (dates are cast to timestamps first, as in PostgreSQL). */
    public static PgInterval pg_age(Timestamp end, Timestamp start)
    {
        return end == null || start == null ? null : PgInterval.age(end.toLocalDateTime(), start.toLocalDateTime());
    }

    /** {@code timestamp + interval} for an interval computed in the gateway. */
    public static Timestamp pg_timestamp_plus_interval(Timestamp timestamp, PgInterval a)
    {
        return timestamp == null || a == null ? null : Timestamp.valueOf(a.addTo(timestamp.toLocalDateTime()));
    }

    /** {@code timestamp - interval} for an interval computed in the gateway. */
    public static Timestamp pg_timestamp_minus_interval(Timestamp timestamp, PgInterval a)
    {
        return timestamp == null || a == null ? null : Timestamp.valueOf(a.negate().addTo(timestamp.toLocalDateTime()));
    }
}
