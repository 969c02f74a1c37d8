package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.pg.PgTypeInfo;
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
