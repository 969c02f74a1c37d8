package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected values are what PostgreSQL 15.10 (zonky's embedded binaries) prints for the same calls. */
class TestPgMath
{
    @Test
    void cubeRootIsTheCLibrarys()
    {
        assertThat(PgMath.pg_cbrt(27.0)).isEqualTo(3.0000000000000004);
        assertThat(PgMath.pg_cbrt(-27.0)).isEqualTo(-3.0000000000000004);
        assertThat(PgMath.pg_cbrt(2.0)).isEqualTo(1.2599210498948734);
        assertThat(PgMath.pg_cbrt(7.0)).isEqualTo(1.9129311827723894);
        assertThat(PgMath.pg_cbrt(8.0)).isEqualTo(2.0);
        assertThat(PgMath.pg_cbrt(1e-310)).isEqualTo(4.641588833612775e-104);
        assertThat(PgMath.pg_cbrt(1e300)).isEqualTo(1e100);
        assertThat(PgMath.pg_cbrt(-0.0)).isEqualTo(-0.0);
        assertThat(PgMath.pg_cbrt(null)).isNull();
    }

    @Test
    void numericLogarithmsHavePostgresScale()
    {
        assertThat(PgMath.pg_ln(new BigDecimal("0.95"))).isEqualByComparingTo("-0.051293294387550533").hasToString("-0.051293294387550533");
        assertThat(PgMath.pg_ln(new BigDecimal("123456789.123"))).hasToString("18.631401767164318");
        assertThat(PgMath.pg_ln(new BigDecimal("1.0")).toPlainString()).isEqualTo("0.0000000000000000");
        assertThat(PgMath.pg_ln(new BigDecimal("1.00000000001")).toPlainString()).isEqualTo("0.000000000009999999999950000");
        assertThat(PgMath.pg_log(BigDecimal.valueOf(2), BigDecimal.valueOf(8))).hasToString("3.0000000000000000");
        assertThat(PgMath.pg_log(BigDecimal.valueOf(7), new BigDecimal("123456.789"))).hasToString("6.024762496293775");
        assertThat(PgMath.pg_log(new BigDecimal("0.5"), new BigDecimal("0.25"))).hasToString("2.0000000000000000");
        assertThat(PgMath.pg_log10(new BigDecimal("1.0001")).toPlainString()).isEqualTo("0.00004342727686266964");
        assertThat(PgMath.pg_log10(new BigDecimal("12345678901234567890"))).hasToString("19.091514977212700");
        assertThat(PgMath.pg_log10_float(1000.0)).isEqualTo(3.0);
    }

    @Test
    void numericSquareRootHasPostgresScale()
    {
        assertThat(PgMath.pg_sqrt(new BigDecimal("470.00"))).hasToString("21.679483388678799");
        assertThat(PgMath.pg_sqrt(new BigDecimal("0.0001")).toPlainString()).isEqualTo("0.01000000000000000");
        assertThat(PgMath.pg_sqrt(new BigDecimal("12345678.9"))).hasToString("3513.6418286444622");
        assertThatThrownBy(() -> PgMath.pg_sqrt(new BigDecimal("-1.0")))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201F"));
    }

    @Test
    void logarithmsOfZeroNegativeAndBaseOneRaisePostgresErrors()
    {
        assertThatThrownBy(() -> PgMath.pg_ln(BigDecimal.ZERO))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201E")).hasMessageContaining("logarithm of zero");
        assertThatThrownBy(() -> PgMath.pg_log10_float(-1.0))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201E")).hasMessageContaining("negative number");
        assertThatThrownBy(() -> PgMath.pg_log(BigDecimal.ONE, BigDecimal.TEN))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
        assertThatThrownBy(() -> PgMath.pg_ln_float(0.0))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201E"));
    }

    @Test
    void undefinedAndComplexPowersRaise2201F()
    {
        assertThatThrownBy(() -> PgMath.pg_power_float(0.0, -1.0))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201F")).hasMessage("zero raised to a negative power is undefined");
        assertThatThrownBy(() -> PgMath.pg_power_float(-1.0, 0.5))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("2201F")).hasMessage("cannot take square root of a negative number");
        assertThatThrownBy(() -> PgMath.pg_power_float(10.0, 400.0))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"));
        assertThat(PgMath.pg_power_float(-8.0, 2.0)).isEqualTo(64.0);
        assertThat(PgMath.pg_power_float(0.0, 0.0)).isEqualTo(1.0);
    }
}
