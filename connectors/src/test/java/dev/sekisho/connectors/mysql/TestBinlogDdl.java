package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.SourceTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which table a DDL statement from the binary log changed, when it names exactly one. */
class TestBinlogDdl
{
    @Test
    void alterTableNamesItsTable()
    {
        assertThat(BinlogFollower.alteredTable("ALTER TABLE items ADD COLUMN price INT", "bl")).contains(new SourceTable("bl", "items"));
        assertThat(BinlogFollower.alteredTable("alter online table `shop`.`order items` drop column x", "bl")).contains(new SourceTable("shop", "order items"));
        assertThat(BinlogFollower.alteredTable("/* gh-ost */ ALTER IGNORE TABLE IF EXISTS shop . customers ENGINE=InnoDB", null))
                .contains(new SourceTable("shop", "customers"));
        assertThat(BinlogFollower.alteredTable("ALTER TABLE `we``ird` ADD KEY (a)", "bl")).contains(new SourceTable("bl", "we`ird"));
    }

    @Test
    void otherDdlNamesNoSingleTable()
    {
        assertThat(BinlogFollower.alteredTable("ALTER TABLE items ADD COLUMN price INT", "")).isEmpty();
        assertThat(BinlogFollower.alteredTable("DROP TABLE items, orders", "bl")).isEmpty();
        assertThat(BinlogFollower.alteredTable("RENAME TABLE a TO b", "bl")).isEmpty();
        assertThat(BinlogFollower.alteredTable("CREATE TABLE t (id INT)", "bl")).isEmpty();
    }
}
