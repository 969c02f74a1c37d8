package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.ColumnType;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestPgTypes
{
    @Test
    void everyCatalogTypeHasAWireTypeWithItsLength()
    {
        for (PgTypeInfo info : PgTypeInfo.all()) {
            PgWireType type = PgTypes.forOid(info.oid()).orElseThrow(() -> new AssertionError("no wire type for " + info));
            assertThat(type.oid()).as(info.name()).isEqualTo(info.oid());
            assertThat(type.typlen()).as(info.name()).isEqualTo(info.length());
        }
        assertThat(PgTypes.forOid(0)).isEmpty();
        assertThat(PgTypes.forOid(99999)).isEmpty();
    }

    @Test
    void columnTypeOidWins()
    {
        ResultColumn name = new ResultColumn("relname", ColumnType.of(ColumnType.Kind.VARCHAR), Optional.empty(), PgTypeInfo.NAME);
        assertThat(PgTypes.of(name)).isEqualTo(PgCatalogType.NAME);
        assertThat(PgTypes.typmod(name)).isEqualTo(-1);
        ResultColumn textArray = new ResultColumn("reloptions", ColumnType.of(ColumnType.Kind.VARCHAR), Optional.empty(), PgTypeInfo.TEXT_ARRAY);
        assertThat(PgTypes.of(textArray).oid()).isEqualTo(1009);
        ResultColumn varchar = ResultColumn.of("v", ColumnType.varchar(20));
        assertThat(PgTypes.of(varchar)).isEqualTo(PgType.VARCHAR);
        assertThat(PgTypes.typmod(varchar)).isEqualTo(24);
        // an OID the gateway does not know falls back to the column type
        ResultColumn unknown = new ResultColumn("x", ColumnType.of(ColumnType.Kind.INTEGER), Optional.empty(), 424242);
        assertThat(PgTypes.of(unknown)).isEqualTo(PgType.INT4);
    }

    @Test
    void sourceArrayEnumAndDomainTypes()
    {
        ColumnType mood = ColumnType.enumeration("public", "mood", java.util.List.of("sad", "ok", "happy"));
        PgWireType enumType = PgTypes.of(ResultColumn.of("m", mood));
        assertThat(enumType.oid()).isEqualTo(PgTypeInfo.namedTypeOid(mood.namedType().orElseThrow())).isGreaterThanOrEqualTo(16384);
        assertThat(enumType.encodeText("happy")).isEqualTo("happy");
        assertThat(binary(enumType, "happy")).containsExactly("happy".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        ColumnType moodArray = ColumnType.array(mood);
        PgWireType moodArrayType = PgTypes.of(ResultColumn.of("ms", moodArray));
        assertThat(moodArrayType.oid()).isEqualTo(PgTypeInfo.namedArrayOid(mood.namedType().orElseThrow()));
        assertThat(moodArrayType.encodeText(java.util.List.of("sad", "happy"))).isEqualTo("{sad,happy}");
        assertThat(roundTrip(moodArrayType, java.util.List.of("ok")))
                .isEqualTo("{ok}");

        PgWireType textArray = PgTypes.of(ResultColumn.of("tags", ColumnType.array(ColumnType.of(ColumnType.Kind.TEXT))));
        assertThat(textArray.oid()).isEqualTo(PgTypeInfo.TEXT_ARRAY);
        assertThat(textArray.encodeText(java.util.Arrays.asList("a", null, "b c", "NULL"))).isEqualTo("{a,NULL,\"b c\",\"NULL\"}");
        PgWireType bigintArray = PgTypes.of(ColumnType.array(ColumnType.of(ColumnType.Kind.BIGINT)));
        assertThat(bigintArray.oid()).isEqualTo(1016);
        assertThat(roundTrip(bigintArray, java.util.Arrays.asList(1L, null, -5L)))
                .isEqualTo("{1,NULL,-5}");
        assertThat(PgTypes.typmod(ColumnType.array(ColumnType.varchar(10)))).isEqualTo(14);

        // a domain is sent as its base type, with the base type's typmod
        ColumnType posint = ColumnType.domain("public", "posint", ColumnType.decimal(5, 1));
        assertThat(PgTypes.of(ResultColumn.of("p", posint))).isEqualTo(PgType.NUMERIC);
        assertThat(PgTypes.typmod(ResultColumn.of("p", posint))).isEqualTo((5 << 16 | 1) + 4);
    }

    private static Object roundTrip(PgWireType type, Object value)
    {
        byte[] bytes = binary(type, value);
        return type.decodeBinary(io.netty.buffer.Unpooled.wrappedBuffer(bytes), bytes.length);
    }

    private static byte[] binary(PgWireType type, Object value)
    {
        io.netty.buffer.ByteBuf buffer = io.netty.buffer.Unpooled.buffer();
        type.writeBinary(buffer, value);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    @Test
    void declaredParameterTypes()
    {
        assertThat(PgTypes.declaredParameterType(PgTypeInfo.OID)).contains(PgCatalogType.OID);
        assertThat(PgTypes.declaredParameterType(PgTypeInfo.NAME)).contains(PgCatalogType.NAME);
        assertThat(PgTypes.declaredParameterType(PgTypeInfo.TEXT_ARRAY).map(PgWireType::oid)).contains(1009);
        assertThat(PgTypes.declaredParameterType(PgTypeInfo.INT4)).isEmpty();
        assertThat(PgTypes.declaredParameterType(PgTypeInfo.REGCLASS)).isEmpty();
        assertThat(PgTypes.declaredParameterType(0)).isEmpty();
        assertThat(PgTypes.fromOid(PgTypeInfo.OID)).contains(ColumnType.of(ColumnType.Kind.BIGINT));
        assertThat(PgTypes.fromOid(PgTypeInfo.CHAR)).contains(ColumnType.of(ColumnType.Kind.TEXT));
        assertThat(PgTypes.fromOid(PgTypeInfo.INT2_ARRAY)).contains(ColumnType.of(ColumnType.Kind.TEXT));
        assertThat(PgTypes.fromOid(PgTypeInfo.REGCLASS)).isEmpty();
    }
}
