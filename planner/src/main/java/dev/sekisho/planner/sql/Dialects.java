package dev.sekisho.planner.sql;

import dev.sekisho.planner.spi.SqlDialectKind;
import org.apache.calcite.sql.SqlDialect;

/** The Calcite dialect for each {@link SqlDialectKind}, and what the dialects agree on. */
public final class Dialects
{
    /**
     * The pattern of the {@code phone} mask's {@code REGEXP_REPLACE}: a digit that at least four more
     * digits follow, possibly with other characters between. MySQL 8 (ICU), MariaDB (PCRE) and Java
     * run its look-ahead as written; BigQuery's RE2 has none, so {@link SekishoBigQueryDialect}
     * recognises this pattern and writes an equivalent. The mask takes it from here.
     */
    public static final String PHONE_MASK_PATTERN = "[0-9](?=(?:[^0-9]*[0-9]){4})";

    private Dialects() {}

    public static SqlDialect of(SqlDialectKind kind)
    {
        return switch (kind) {
            case MYSQL -> SekishoMysqlDialect.INSTANCE;
            case BIGQUERY -> SekishoBigQueryDialect.INSTANCE;
        };
    }
}
