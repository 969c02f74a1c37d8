package dev.sekisho.planner.calcite;

import dev.sekisho.planner.spi.SqlDialectKind;
import org.apache.calcite.sql.SqlDialect;

/** The Calcite dialect for each {@link SqlDialectKind}. */
final class Dialects
{
    private Dialects() {}

    static SqlDialect of(SqlDialectKind kind)
    {
        return switch (kind) {
            case MYSQL -> SekishoMysqlDialect.INSTANCE;
            case BIGQUERY -> SekishoBigQueryDialect.INSTANCE;
        };
    }
}
