package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.resultcache.ResultCacheSettings;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only sources whose connector may run a statement without blocking are asked to on an I/O thread:
 * one that keeps the SPI's default is never asked, behind the result cache or not.
 */
class TestNonBlockingSources
{
    @Test
    void aConnectorWithTheDefaultIsNeverAsked()
    {
        Connector plain = TestingShop.mysqlShop();
        assertThat(Sessions.mayRunWithoutBlocking(plain)).isFalse();
        assertThat(Sessions.mayRunWithoutBlocking(new CachingConnector(plain, cache()))).isFalse();
    }

    @Test
    void aConnectorThatRunsWithoutBlockingIsAskedBehindTheCacheToo()
    {
        Connector nonBlocking = new NonBlocking();
        assertThat(Sessions.mayRunWithoutBlocking(nonBlocking)).isTrue();
        assertThat(Sessions.mayRunWithoutBlocking(new CachingConnector(nonBlocking, cache()))).isTrue();
    }

    private static ResultCache cache()
    {
        return new ResultCache(new ResultCacheSettings(1 << 20, 4096, Map.of("shop", Duration.ofMinutes(5))));
    }

    /** A connector that overrides the start (and declines every statement). */
    private static final class NonBlocking
            implements Connector
    {
        private final Connector shop = TestingShop.mysqlShop();

        @Override
        public String name()
        {
            return shop.name();
        }

        @Override
        public SqlDialectKind dialect()
        {
            return shop.dialect();
        }

        @Override
        public ConnectorMetadata metadata()
        {
            return shop.metadata();
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            return shop.execute(query, context);
        }

        @Override
        public boolean mayStartWithoutBlocking()
        {
            return true;
        }

        @Override
        public Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
        {
            return Optional.empty();
        }
    }
}
