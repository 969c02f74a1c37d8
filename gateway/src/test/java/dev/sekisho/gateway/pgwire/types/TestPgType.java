package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgType
{
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void doublesPrintLikePostgres15()
    {
        assertThat(PgType.FLOAT8.encodeText(0.1)).isEqualTo("0.1");
        assertThat(PgType.FLOAT8.encodeText(1.0)).isEqualTo("1");
        assertThat(PgType.FLOAT8.encodeText(-2.5)).isEqualTo("-2.5");
        assertThat(PgType.FLOAT8.encodeText(1e100)).isEqualTo("1e+100");
        assertThat(PgType.FLOAT8.encodeText(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PgType.FLOAT8.encodeText(0.0001)).isEqualTo("0.0001");
        assertThat(PgType.FLOAT8.encodeText(1e14)).isEqualTo("100000000000000");
        assertThat(PgType.FLOAT8.encodeText(1e15)).isEqualTo("1e+15");
        assertThat(PgType.FLOAT8.encodeText(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PgType.FLOAT8.encodeText(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PgType.FLOAT8.encodeText(-0.0)).isEqualTo("-0");
        assertThat(PgType.FLOAT8.encodeText(Double.NaN)).isEqualTo("NaN");
        assertThat(PgType.FLOAT8.encodeText(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(PgType.FLOAT8.encodeText(2e-323)).isEqualTo("2e-323");
    }

    @Test
    void realsPrintLikePostgres15()
    {
        assertThat(PgType.FLOAT4.encodeText(1.1f)).isEqualTo("1.1");
        assertThat(PgType.FLOAT4.encodeText(123456f)).isEqualTo("123456");
        assertThat(PgType.FLOAT4.encodeText(1234567f)).isEqualTo("1.234567e+06");
        assertThat(PgType.FLOAT4.encodeText(Float.MAX_VALUE)).isEqualTo("3.4028235e+38");
        assertThat(PgType.FLOAT4.encodeText(Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void dateTimesPrintInIsoStyle()
    {
        assertThat(PgType.DATE.encodeText(LocalDate.of(2024, 1, 5))).isEqualTo("2024-01-05");
        assertThat(PgType.DATE.encodeText(LocalDate.of(44, 3, 15))).isEqualTo("0044-03-15");
        assertThat(PgType.DATE.encodeText(LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(PgType.TIME.encodeText(LocalTime.of(1, 2, 3))).isEqualTo("01:02:03");
        assertThat(PgType.TIME.encodeText(LocalTime.of(1, 2, 3, 450_000_000))).isEqualTo("01:02:03.45");
        assertThat(PgType.TIMESTAMP.encodeText(LocalDateTime.of(2024, 1, 5, 23, 59, 59, 999_999_000))).isEqualTo("2024-01-05 23:59:59.999999");
        assertThat(PgType.TIMESTAMPTZ.encodeText(OffsetDateTime.of(2024, 1, 5, 1, 2, 3, 0, ZoneOffset.UTC))).isEqualTo("2024-01-05 01:02:03+00");
        assertThat(PgType.TIMESTAMPTZ.encodeText(OffsetDateTime.of(2024, 1, 5, 1, 2, 3, 0, ZoneOffset.ofHoursMinutes(5, 30)))).isEqualTo("2024-01-05 01:02:03+05:30");
        assertThat(PgType.TIMESTAMPTZ.encodeText(OffsetDateTime.of(2024, 1, 5, 1, 2, 3, 0, ZoneOffset.ofHours(-8)))).isEqualTo("2024-01-05 01:02:03-08");
    }

    @Test
    void otherTypesPrintLikePostgres()
    {
        assertThat(PgType.BOOL.encodeText(false)).isEqualTo("f");
        assertThat(PgType.BYTEA.encodeText(new byte[] {(byte) 0xDE, (byte) 0xAD})).isEqualTo("\\xdead");
        assertThat(PgType.NUMERIC.encodeText(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(PgType.NUMERIC.encodeText(new BigDecimal("0.000100"))).isEqualTo("0.000100");
    }

    @Test
    void textParameters()
    {
        assertThat(PgType.BOOL.decodeText("yes", UTC)).isEqualTo(true);
        assertThat(PgType.BOOL.decodeText("f", UTC)).isEqualTo(false);
        assertThat(PgType.INT4.decodeText(" 42 ", UTC)).isEqualTo(42);
        assertThat(PgType.INT8.decodeText("-9000000000", UTC)).isEqualTo(-9_000_000_000L);
        assertThat(PgType.FLOAT8.decodeText("Infinity", UTC)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(PgType.NUMERIC.decodeText("12.50", UTC)).isEqualTo(new BigDecimal("12.50"));
        assertThat(PgType.DATE.decodeText("2024-01-02 +09", UTC)).isEqualTo(LocalDate.of(2024, 1, 2));
        assertThat(PgType.TIMESTAMP.decodeText("2024-01-02 03:04:05.123456", UTC)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000));
        assertThat(PgType.TIMESTAMPTZ.decodeText("2024-01-02 03:04:05.5+09", UTC))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.ofHours(9)));
        assertThat(PgType.TIMESTAMPTZ.decodeText("2024-01-02 03:04:05", ZoneId.of("Asia/Tokyo")))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(9)));
        assertThat(PgType.TIME.decodeText("13:45", UTC)).isEqualTo(LocalTime.of(13, 45));
        assertThat((byte[]) PgType.BYTEA.decodeText("\\x00ff", UTC)).containsExactly(0, -1);
        assertThat((byte[]) PgType.BYTEA.decodeText("a\\\\b\\001", UTC)).containsExactly('a', '\\', 'b', 1);
        assertThat(PgType.UUID.decodeText("123e4567-e89b-12d3-a456-426614174000", UTC)).isEqualTo(java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThat(PgType.TEXT.decodeText("anything", UTC)).isEqualTo("anything");
    }

    @Test
    void badTextParametersAre22P02()
    {
        for (PgType type : List.of(PgType.BOOL, PgType.INT2, PgType.INT4, PgType.INT8, PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.DATE,
                PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.UUID)) {
            assertThatThrownBy(() -> type.decodeText("x!x", UTC))
                    .as(type.name())
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"))
                    .hasMessage("invalid input syntax for type " + type.displayName() + ": \"x!x\"");
        }
        assertThatThrownBy(() -> PgType.BYTEA.decodeText("\\xZZ", UTC)).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> PgType.BYTEA.decodeText("a\\b", UTC)).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> PgType.INT2.decodeText("70000", UTC)).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> PgType.FLOAT8.decodeText("1d", UTC)).isInstanceOf(QueryException.class);
    }

    @Test
    void binaryRoundTrips()
    {
        assertRoundTrip(PgType.BOOL, true);
        assertRoundTrip(PgType.INT2, (short) -7);
        assertRoundTrip(PgType.INT4, Integer.MIN_VALUE);
        assertRoundTrip(PgType.INT8, Long.MAX_VALUE);
        assertRoundTrip(PgType.FLOAT4, 3.25f);
        assertRoundTrip(PgType.FLOAT8, -1e-300);
        assertRoundTrip(PgType.DATE, LocalDate.of(1999, 12, 31));
        assertRoundTrip(PgType.TIME, LocalTime.of(23, 59, 59, 999_999_000));
        assertRoundTrip(PgType.TIMESTAMP, LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000));
        assertRoundTrip(PgType.TEXT, "日本語");
        assertRoundTrip(PgType.UUID, java.util.UUID.randomUUID());
        for (String number : List.of("0", "0.00", "1", "-1", "10000", "12345678.9", "-0.0012", "0.00000001", "99999999999999999999.123456789", "1E+20")) {
            BigDecimal value = new BigDecimal(number);
            ByteBuf buffer = Unpooled.buffer();
            PgType.NUMERIC.writeBinary(buffer, value);
            BigDecimal decoded = (BigDecimal) PgType.NUMERIC.decodeBinary(buffer, buffer.readableBytes());
            assertThat(decoded).as(number).isEqualByComparingTo(value);
            assertThat(decoded.scale()).as(number).isEqualTo(Math.max(0, value.scale()));
        }
    }

    @Test
    void numericBinaryLayout()
    {
        ByteBuf buffer = Unpooled.buffer();
        PgType.NUMERIC.writeBinary(buffer, new BigDecimal("-12345678.9"));
        // digits 1234 5678 9000, weight 1, negative, dscale 1
        assertThat(new int[] {buffer.readShort(), buffer.readShort(), buffer.readUnsignedShort(), buffer.readShort(), buffer.readShort(), buffer.readShort(),
                buffer.readShort()}).containsExactly(3, 1, 0x4000, 1, 1234, 5678, 9000);
    }

    @Test
    void oidsAndTypmods()
    {
        assertThat(PgTypes.of(ColumnType.varchar(20)).oid()).isEqualTo(1043);
        assertThat(PgTypes.typmod(ColumnType.varchar(20))).isEqualTo(24);
        assertThat(PgTypes.typmod(ColumnType.character(3))).isEqualTo(7);
        assertThat(PgTypes.typmod(ColumnType.decimal(10, 2))).isEqualTo((10 << 16 | 2) + 4);
        assertThat(PgTypes.typmod(ColumnType.of(ColumnType.Kind.INTEGER))).isEqualTo(-1);
        assertThat(PgTypes.typmod(ColumnType.timestamp(3))).isEqualTo(3);
        assertThat(PgTypes.of(ColumnType.of(ColumnType.Kind.UNKNOWN))).isEqualTo(PgType.TEXT);
        for (ColumnType.Kind kind : ColumnType.Kind.values()) {
            if (kind == ColumnType.Kind.ARRAY || kind == ColumnType.Kind.ENUM) {
                continue; // types with an element or a name of their own: TestPgTypes
            }
            PgWireType type = PgTypes.of(ColumnType.of(kind));
            if (kind != ColumnType.Kind.UNKNOWN) {
                assertThat(PgTypes.fromOid(type.oid())).contains(ColumnType.of(kind));
            }
        }
        assertThat(PgTypes.fromOid(0)).isEmpty();
    }

    private static void assertRoundTrip(PgType type, Object value)
    {
        ByteBuf buffer = Unpooled.buffer();
        type.writeBinary(buffer, value);
        if (type.typlen() > 0) {
            assertThat(buffer.readableBytes()).isEqualTo(type.typlen());
        }
        assertThat(type.decodeBinary(buffer, buffer.readableBytes())).isEqualTo(value);
    }
}
