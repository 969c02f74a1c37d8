package dev.sekisho.planner.pg.functions;

/**
 * PostgreSQL's bitwise operators on smallint, integer and bigint ({@code &}, {@code |}, {@code #},
 * {@code ~}, {@code <<}, {@code >>}), which the statement normaliser writes as these functions
 * ({@code pg_op_*}, named {@code ?column?}). One overload per type keeps PostgreSQL's result type
 * (integer for two integers, bigint when either is one); run in the gateway, since MySQL computes
 * them as unsigned 64-bit numbers ({@code ~7} is 18446744073709551608 there). Shifts take the count
 * modulo the width, as PostgreSQL's C shifts do on x86-64 ({@code 1 << 40} is 256 for an integer).
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgBitwiseFunctions
{
    private PgBitwiseFunctions() {}

    public static Short pg_op_bitand(Short left, Short right)
    {
        return left == null || right == null ? null : (short) (left & right);
    }

    public static Integer pg_op_bitand(Integer left, Integer right)
    {
        return left == null || right == null ? null : left & right;
    }

    public static Long pg_op_bitand(Long left, Long right)
    {
        return left == null || right == null ? null : left & right;
    }

    public static Short pg_op_bitor(Short left, Short right)
    {
        return left == null || right == null ? null : (short) (left | right);
    }

    public static Integer pg_op_bitor(Integer left, Integer right)
    {
        return left == null || right == null ? null : left | right;
    }

    public static Long pg_op_bitor(Long left, Long right)
    {
        return left == null || right == null ? null : left | right;
    }

    public static Short pg_op_bitxor(Short left, Short right)
    {
        return left == null || right == null ? null : (short) (left ^ right);
    }

    public static Integer pg_op_bitxor(Integer left, Integer right)
    {
        return left == null || right == null ? null : left ^ right;
    }

    public static Long pg_op_bitxor(Long left, Long right)
    {
        return left == null || right == null ? null : left ^ right;
    }

    public static Short pg_op_bitnot(Short value)
    {
        return value == null ? null : (short) ~value;
    }

    public static Integer pg_op_bitnot(Integer value)
    {
        return value == null ? null : ~value;
    }

    public static Long pg_op_bitnot(Long value)
    {
        return value == null ? null : ~value;
    }

    public static Short pg_op_shl(Short value, Integer count)
    {
        // int2shl computes in int and truncates to 16 bits
        return value == null || count == null ? null : (short) (value << count);
    }

    public static Integer pg_op_shl(Integer value, Integer count)
    {
        return value == null || count == null ? null : value << count;
    }

    public static Long pg_op_shl(Long value, Integer count)
    {
        return value == null || count == null ? null : value << count;
    }

    public static Short pg_op_shr(Short value, Integer count)
    {
        return value == null || count == null ? null : (short) (value >> count);
    }

    public static Integer pg_op_shr(Integer value, Integer count)
    {
        return value == null || count == null ? null : value >> count;
    }

    public static Long pg_op_shr(Long value, Integer count)
    {
        return value == null || count == null ? null : value >> count;
    }
}
