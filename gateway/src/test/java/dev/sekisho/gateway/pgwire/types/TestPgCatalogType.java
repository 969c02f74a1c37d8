package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.QueryException;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;

import static dev.sekisho.gateway.pgwire.types.TestPgArrayType.binary;
import static dev.sekisho.gateway.pgwire.types.TestPgArrayType.decodeBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgCatalogType
{
    @Test
    void describesTypesAsPostgresDoes()
    {
        assertThat(PgCatalogType.NAME.oid()).isEqualTo(19);
        assertThat(PgCatalogType.NAME.typlen()).isEqualTo(64);
        assertThat(PgCatalogType.CHAR.typlen()).isEqualTo(1);
        assertThat(PgCatalogType.CHAR.displayName()).isEqualTo("\"char\"");
        assertThat(PgCatalogType.OID.typlen()).isEqualTo(4);
        assertThat(PgCatalogType.REGCLASS.oid()).isEqualTo(2205);
        assertThat(PgCatalogType.REGCLASS.typlen()).isEqualTo(4);
        assertThat(PgCatalogType.INT2VECTOR.typlen()).isEqualTo(-1);
        assertThat(PgCatalogType.OIDVECTOR.typlen()).isEqualTo(-1);
    }

    @Test
    void name()
    {
        assertThat(PgCatalogType.NAME.encodeText("people")).isEqualTo("people");
        assertThat(binary(PgCatalogType.NAME, "pé")).isEqualTo("70c3a9");
        assertThat(decodeBinary(PgCatalogType.NAME, "70c3a9")).isEqualTo("pé");
        // at most 63 bytes, never splitting a character
        assertThat(PgCatalogType.NAME.decodeText("x".repeat(70), ZoneOffset.UTC)).isEqualTo("x".repeat(63));
        assertThat(PgCatalogType.NAME.decodeText("x".repeat(62) + "é", ZoneOffset.UTC)).isEqualTo("x".repeat(62));
    }

    @Test
    void singleByteChar()
    {
        assertThat(PgCatalogType.CHAR.encodeText("r")).isEqualTo("r");
        assertThat(PgCatalogType.CHAR.encodeText("")).isEmpty();
        assertThat(PgCatalogType.CHAR.encodeText(String.valueOf((char) 0xE9))).isEqualTo("\\351");
        assertThat(binary(PgCatalogType.CHAR, "r")).isEqualTo("72");
        assertThat(binary(PgCatalogType.CHAR, "")).isEqualTo("00");
        assertThat(decodeBinary(PgCatalogType.CHAR, "76")).isEqualTo("v");
        assertThat(decodeBinary(PgCatalogType.CHAR, "00")).isEqualTo("");
        assertThat(PgCatalogType.CHAR.decodeText("rest", ZoneOffset.UTC)).isEqualTo("r");
        assertThat(PgCatalogType.CHAR.decodeText("\\351", ZoneOffset.UTC)).isEqualTo(String.valueOf((char) 0xE9));
        assertThatThrownBy(() -> decodeBinary(PgCatalogType.CHAR, "7172")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22P03"));
    }

    @Test
    void oidIsUnsigned()
    {
        assertThat(PgCatalogType.OID.encodeText(16384L)).isEqualTo("16384");
        assertThat(PgCatalogType.OID.encodeText(4294967295L)).isEqualTo("4294967295");
        assertThat(PgCatalogType.OID.encodeText(-1)).isEqualTo("4294967295");
        assertThat(binary(PgCatalogType.OID, 4294967295L)).isEqualTo("ffffffff");
        assertThat(binary(PgCatalogType.OID, 16384)).isEqualTo("00004000");
        assertThat(decodeBinary(PgCatalogType.OID, "ffffffff")).isEqualTo(4294967295L);
        assertThat(PgCatalogType.OID.decodeText(" 1259 ", ZoneOffset.UTC)).isEqualTo(1259L);
        assertThat(PgCatalogType.OID.decodeText("-1", ZoneOffset.UTC)).isEqualTo(4294967295L);
        assertThatThrownBy(() -> PgCatalogType.OID.decodeText("4294967296", ZoneOffset.UTC))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"))
                .hasMessage("value \"4294967296\" is out of range for type oid");
        assertThatThrownBy(() -> PgCatalogType.OID.decodeText("pg_class", ZoneOffset.UTC))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"))
                .hasMessage("invalid input syntax for type oid: \"pg_class\"");
    }

    @Test
    void regclassPrintsNamesAndSendsOids()
    {
        assertThat(PgCatalogType.REGCLASS.encodeText("public.people")).isEqualTo("public.people");
        assertThat(PgCatalogType.REGCLASS.encodeText(1259L)).isEqualTo("1259");
        assertThat(binary(PgCatalogType.REGCLASS, 1259L)).isEqualTo("000004eb");
        assertThat(binary(PgCatalogType.REGCLASS, "1259")).isEqualTo("000004eb");
        assertThatThrownBy(() -> binary(PgCatalogType.REGCLASS, "people"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"))
                .hasMessageContaining("request text format");
        assertThat(PgCatalogType.REGCLASS.decodeText("pg_class", ZoneOffset.UTC)).isEqualTo("pg_class");
        assertThat(PgCatalogType.REGCLASS.decodeText("1259", ZoneOffset.UTC)).isEqualTo(1259L);
    }

    @Test
    void int2VectorIsAnArrayWithLowerBoundZero()
    {
        assertThat(PgCatalogType.INT2VECTOR.encodeText("1 2")).isEqualTo("1 2");
        assertThat(PgCatalogType.INT2VECTOR.encodeText(List.of((short) 3, (short) 1))).isEqualTo("3 1");
        // ndim 1 | no nulls | element int2 | size 2 | lower bound 0 | (len 2, value)...
        String bytes = "00000001" + "00000000" + "00000015" + "00000002" + "00000000" + "00000002" + "0001" + "00000002" + "0002";
        assertThat(binary(PgCatalogType.INT2VECTOR, "1 2")).isEqualTo(bytes);
        assertThat(decodeBinary(PgCatalogType.INT2VECTOR, bytes)).isEqualTo("1 2");
        // an empty vector still has one (empty) dimension
        assertThat(binary(PgCatalogType.INT2VECTOR, "")).isEqualTo("00000001" + "00000000" + "00000015" + "00000000" + "00000000");
        assertThat(PgCatalogType.INT2VECTOR.decodeText(" 1   02 ", ZoneOffset.UTC)).isEqualTo("1 2");
        assertThatThrownBy(() -> PgCatalogType.INT2VECTOR.decodeText("1 x", ZoneOffset.UTC)).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22P02"));
    }

    @Test
    void oidVector()
    {
        String bytes = "00000001" + "00000000" + "0000001a" + "00000002" + "00000000" + "00000004" + "00000017" + "00000004" + "00000019";
        assertThat(binary(PgCatalogType.OIDVECTOR, "23 25")).isEqualTo(bytes);
        assertThat(decodeBinary(PgCatalogType.OIDVECTOR, bytes)).isEqualTo("23 25");
        assertThat(PgCatalogType.OIDVECTOR.encodeText("")).isEmpty();
    }

    @Test
    void opaqueTypes()
    {
        PgWireType nodeTree = PgTypes.forOid(194).orElseThrow();
        assertThat(nodeTree.hasBinary()).isTrue();
        assertThat(binary(nodeTree, "{VAR}")).isEqualTo("7b5641527d");
        PgWireType aclitem = PgTypes.forOid(1033).orElseThrow();
        assertThat(aclitem.typlen()).isEqualTo(12);
        assertThat(aclitem.hasBinary()).isFalse();
        assertThat(aclitem.encodeText("alice=r/alice")).isEqualTo("alice=r/alice");
        assertThatThrownBy(() -> aclitem.writeBinary(Unpooled.buffer(), "alice=r/alice")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThat(binary(PgTypes.forOid(2278).orElseThrow(), "")).isEmpty();
    }
}
