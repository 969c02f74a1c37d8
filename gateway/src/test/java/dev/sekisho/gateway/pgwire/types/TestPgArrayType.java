package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.QueryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgArrayType
{
    private static final PgWireType TEXT_ARRAY = PgTypes.forOid(PgTypeInfo.TEXT_ARRAY).orElseThrow();
    private static final PgWireType INT2_ARRAY = PgTypes.forOid(PgTypeInfo.INT2_ARRAY).orElseThrow();
    private static final PgWireType OID_ARRAY = PgTypes.forOid(PgTypeInfo.OID_ARRAY).orElseThrow();

    @Test
    void describesArrayTypes()
    {
        assertThat(TEXT_ARRAY).isInstanceOf(PgArrayType.class);
        assertThat(TEXT_ARRAY.typlen()).isEqualTo(-1);
        assertThat(TEXT_ARRAY.displayName()).isEqualTo("text[]");
        assertThat(((PgArrayType) INT2_ARRAY).element()).isEqualTo(PgType.INT2);
        assertThat(((PgArrayType) OID_ARRAY).element()).isEqualTo(PgCatalogType.OID);
        assertThat(((PgArrayType) PgTypes.forOid(PgTypeInfo.NAME_ARRAY).orElseThrow()).element()).isEqualTo(PgCatalogType.NAME);
        assertThat(PgTypes.forOid(PgTypeInfo.ACLITEM_ARRAY).orElseThrow().hasBinary()).isFalse();
    }

    @Test
    void textArrayBinaryIsArraySendFormat()
    {
        // ndim 1 | has nulls 1 | element oid 25 | size 2 | lower bound 1 | len 1 'a' | len -1
        assertThat(binary(TEXT_ARRAY, "{a,NULL}")).isEqualTo("00000001" + "00000001" + "00000019" + "00000002" + "00000001" + "00000001" + "61" + "ffffffff");
        // quoted element with an escaped quote and a space
        assertThat(binary(TEXT_ARRAY, "{\"x \\\"y\"}")).isEqualTo("00000001" + "00000000" + "00000019" + "00000001" + "00000001" + "00000004" + "7820" + "2279");
    }

    @Test
    void int2ArrayBinaryHasTwoByteElements()
    {
        assertThat(binary(INT2_ARRAY, "{1,-2}")).isEqualTo("00000001" + "00000000" + "00000015" + "00000002" + "00000001" + "00000002" + "0001" + "00000002" + "fffe");
    }

    @Test
    void oidArrayElementsAreUnsigned()
    {
        assertThat(binary(OID_ARRAY, "{4294967295,26}")).isEqualTo("00000001" + "00000000" + "0000001a" + "00000002" + "00000001"
                + "00000004" + "ffffffff" + "00000004" + "0000001a");
        assertThat(decodeBinary(OID_ARRAY, binary(OID_ARRAY, "{4294967295,26}"))).isEqualTo("{4294967295,26}");
    }

    @Test
    void emptyArrayHasNoDimensions()
    {
        assertThat(binary(TEXT_ARRAY, "{}")).isEqualTo("00000000" + "00000000" + "00000019");
        assertThat(decodeBinary(TEXT_ARRAY, "00000000" + "00000000" + "00000019")).isEqualTo("{}");
    }

    @Test
    void lowerBoundIsKept()
    {
        String bytes = binary(INT2_ARRAY, "[0:1]={5,6}");
        assertThat(bytes).startsWith("00000001" + "00000000" + "00000015" + "00000002" + "00000000");
        assertThat(decodeBinary(INT2_ARRAY, bytes)).isEqualTo("[0:1]={5,6}");
    }

    @Test
    void binaryRoundTripsThroughTheTextForm()
    {
        for (String text : List.of("{a,NULL,\"b c\",\"\",\"NULL\",\"q\\\"t\",\"back\\\\slash\",é}", "{x}", "{}")) {
            assertThat(decodeBinary(TEXT_ARRAY, binary(TEXT_ARRAY, text))).as(text).isEqualTo(text);
        }
        assertThat(decodeBinary(INT2_ARRAY, binary(INT2_ARRAY, "{1,NULL,-32768}"))).isEqualTo("{1,NULL,-32768}");
        PgWireType floats = PgTypes.forOid(1022).orElseThrow();
        assertThat(decodeBinary(floats, binary(floats, "{0.5,NaN,-Infinity}"))).isEqualTo("{0.5,NaN,-Infinity}");
        PgWireType names = PgTypes.forOid(PgTypeInfo.NAME_ARRAY).orElseThrow();
        assertThat(decodeBinary(names, binary(names, "{public,pg_catalog}"))).isEqualTo("{public,pg_catalog}");
    }

    @Test
    void listValuesAreFormattedAndSent()
    {
        assertThat(TEXT_ARRAY.encodeText(Arrays.asList("a b", null, "c"))).isEqualTo("{\"a b\",NULL,c}");
        assertThat(INT2_ARRAY.encodeText(List.of((short) 1, (short) 2))).isEqualTo("{1,2}");
        ByteBuf out = Unpooled.buffer();
        INT2_ARRAY.writeBinary(out, List.of((short) 1, (short) -2));
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(binary(INT2_ARRAY, "{1,-2}"));
    }

    @Test
    void textInputIsCheckedAndCanonical()
    {
        assertThat(INT2_ARRAY.decodeText("{ 1 , 02 ,NULL}", ZoneOffset.UTC)).isEqualTo("{1,2,NULL}");
        assertThat(TEXT_ARRAY.decodeText("{\"a\",b}", ZoneOffset.UTC)).isEqualTo("{a,b}");
        assertThatThrownBy(() -> INT2_ARRAY.decodeText("{1,x}", ZoneOffset.UTC))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"))
                .hasMessage("invalid input syntax for type smallint: \"x\"");
        assertThatThrownBy(() -> INT2_ARRAY.writeBinary(Unpooled.buffer(), "{1,70000}")).isInstanceOf(QueryException.class);
    }

    @Test
    void rejectsBadBinary()
    {
        // int4 elements where int2 elements are expected
        assertThatThrownBy(() -> decodeBinary(INT2_ARRAY, "00000001" + "00000000" + "00000017" + "00000001" + "00000001" + "00000004" + "00000001"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("42804"));
        // truncated
        assertThatThrownBy(() -> decodeBinary(INT2_ARRAY, "00000001" + "00000000" + "00000015" + "00000002" + "00000001" + "00000002" + "0001"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P03"));
        // two dimensions
        assertThatThrownBy(() -> decodeBinary(INT2_ARRAY, "00000002" + "00000000" + "00000015" + "00000001" + "00000001" + "00000001" + "00000001"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    }

    static String binary(PgWireType type, Object value)
    {
        ByteBuf out = Unpooled.buffer();
        type.writeBinary(out, value);
        return ByteBufUtil.hexDump(out);
    }

    static Object decodeBinary(PgWireType type, String hex)
    {
        byte[] bytes = HexFormat.of().parseHex(hex);
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        Object value = type.decodeBinary(in, bytes.length);
        assertThat(in.isReadable()).isFalse();
        return value;
    }
}
