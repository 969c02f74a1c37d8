package dev.sekisho.gateway.session;

import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code SHOW sekisho.cache}: whether the result cache is on for this session, and what the
 * gateway's cache holds and did (entries, bytes, hits, misses, bypasses, evictions,
 * invalidations, statements that waited for an identical one), one {@code name, value} row each.
 */
final class CacheStatus
{
    static final String NAME = CachingConnector.SESSION_SETTING;

    private CacheStatus() {}

    static boolean isCacheStatus(String name)
    {
        return NAME.equalsIgnoreCase(name);
    }

    static List<ResultColumn> columns()
    {
        return List.of(ResultColumn.of("name", ColumnType.of(ColumnType.Kind.TEXT)), ResultColumn.of("value", ColumnType.of(ColumnType.Kind.TEXT)));
    }

    static ListResultStream rows(Optional<ResultCache> cache, Optional<String> sessionSetting)
    {
        ColumnType text = ColumnType.of(ColumnType.Kind.TEXT);
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("configured", cache.isPresent() ? "yes" : "no (no result_cache section in sekisho.yaml)"));
        rows.add(List.of("session", CachingConnector.isOn(sessionSetting) ? "on" : "off"));
        cache.ifPresent(present -> {
            ResultCache.Stats stats = present.stats();
            rows.add(List.of("entries", String.valueOf(stats.entries())));
            rows.add(List.of("bytes", String.valueOf(stats.bytes())));
            rows.add(List.of("max_bytes", String.valueOf(present.settings().maxBytes())));
            rows.add(List.of("hits", String.valueOf(stats.hits())));
            rows.add(List.of("misses", String.valueOf(stats.misses())));
            rows.add(List.of("bypasses", String.valueOf(stats.bypasses())));
            rows.add(List.of("evictions", String.valueOf(stats.evictions())));
            rows.add(List.of("invalidations", String.valueOf(stats.invalidations())));
            rows.add(List.of("shared_waits", String.valueOf(stats.sharedWaits())));
            rows.add(List.of("last_modified_checks", String.valueOf(stats.lastModifiedChecks())));
            rows.add(List.of("last_modified_changes", String.valueOf(stats.lastModifiedChanges())));
            rows.add(List.of("last_modified_failures", String.valueOf(stats.lastModifiedFailures())));
        });
        return new ListResultStream(List.of(new ColumnMetadata("name", text, false, "text"), new ColumnMetadata("value", text, false, "text")), rows);
    }
}
