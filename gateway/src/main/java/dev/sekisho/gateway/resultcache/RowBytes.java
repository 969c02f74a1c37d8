package dev.sekisho.gateway.resultcache;

import java.math.BigDecimal;
import java.util.List;

/** An estimate of the heap a value of a row holds, for the cache's weigher. */
final class RowBytes
{
    private RowBytes() {}

    static long of(Object value)
    {
        if (value == null) {
            return 0;
        }
        if (value instanceof String string) {
            return 40 + string.length();
        }
        if (value instanceof byte[] bytes) {
            return 16 + bytes.length;
        }
        if (value instanceof BigDecimal) {
            return 64;
        }
        if (value instanceof List<?> list) {
            long bytes = 40;
            for (Object element : list) {
                bytes += 8 + of(element);
            }
            return bytes;
        }
        return 24;
    }
}
