package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.ColumnType;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A session's few most recent statement shapes ({@link StatementShape}): a BI tool's connection
 * sends the same few statements again and again with other literals and another leading comment
 * (Redash's Job ID), so the last {@link #SIZE} shapes are kept, the most recently used first. Only
 * texts up to {@link #MAX_TEXT} characters are remembered. Not thread-safe: one per session.
 */
final class ShapeMemo
{
    static final int SIZE = 4;
    static final int MAX_TEXT = 16 * 1024;

    private final StatementShape[] shapes = new StatementShape[SIZE];

    /** The first remembered shape {@code sql} is of, moved to the front. */
    Optional<StatementShape.Match> match(String sql, List<ColumnType> declaredTypes)
    {
        if (sql.length() > MAX_TEXT || shapes[0] == null) {
            return Optional.empty();
        }
        Optional<StatementShape.Leading> leading = StatementShape.Leading.of(sql);
        if (leading.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < SIZE && shapes[i] != null; i++) {
            Optional<StatementShape.Match> match = shapes[i].match(sql, leading.get(), declaredTypes);
            if (match.isPresent()) {
                moveToFront(i, shapes[i]);
                return match;
            }
        }
        return Optional.empty();
    }

    /** Remembers a shape in front, forgetting the least recently used one when full. */
    void remember(StatementShape shape)
    {
        requireNonNull(shape, "shape is null");
        moveToFront(SIZE - 1, shape);
    }

    /** Forgets every shape. */
    void clear()
    {
        Arrays.fill(shapes, null);
    }

    private void moveToFront(int from, StatementShape shape)
    {
        System.arraycopy(shapes, 0, shapes, 1, from);
        shapes[0] = shape;
    }
}
