package dev.sekisho.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The order in which one pair of paths (the direct path and the path compared with it) takes turns
 * within a round: short slices in the pattern A B B A A B B A ..., so that a drift of the machine's
 * speed over the pair's seconds (CPU frequency, steal, GC, the JIT) falls on both paths alike instead
 * of on whichever ran second. Positions {@code 2k} and {@code 2k+1} hold one slice of each path: the
 * k-th slice pair, whose throughput ratio shows the noise between neighbouring slices.
 */
record SliceSchedule(List<Side> order)
{
    /** Which path of the pair a slice measures. */
    enum Side
    {
        DIRECT, COMPARED
    }

    SliceSchedule
    {
        order = List.copyOf(requireNonNull(order, "order is null"));
        if (order.isEmpty() || order.size() % 2 != 0) {
            throw new IllegalArgumentException("a schedule needs an even, positive number of slices: " + order.size());
        }
        for (int pair = 0; pair < order.size(); pair += 2) {
            if (order.get(pair) == order.get(pair + 1)) {
                throw new IllegalArgumentException("slices " + pair + " and " + (pair + 1) + " measure the same side: " + order);
            }
        }
    }

    /** {@code slicesPerSide} slices of each side, A B B A ..., A being the direct path when {@code directFirst}. */
    static SliceSchedule alternating(int slicesPerSide, boolean directFirst)
    {
        if (slicesPerSide < 1) {
            throw new IllegalArgumentException("slices per side must be positive: " + slicesPerSide);
        }
        Side first = directFirst ? Side.DIRECT : Side.COMPARED;
        Side second = directFirst ? Side.COMPARED : Side.DIRECT;
        List<Side> order = new ArrayList<>(2 * slicesPerSide);
        for (int position = 0; position < 2 * slicesPerSide; position++) {
            // 0 1 2 3 4 5 6 7 -> A B B A A B B A
            order.add(((position + 1) / 2) % 2 == 0 ? first : second);
        }
        return new SliceSchedule(order);
    }

    int slicesPerSide()
    {
        return order.size() / 2;
    }

    /**
     * Each client's calls of one side cut into at most {@code slices} slices whose sizes differ by at
     * most one and add up to {@code calls}; fewer slices when there are fewer calls than slices (no
     * empty slice, whose throughput would be undefined).
     */
    static int[] split(int calls, int slices)
    {
        if (calls < 1 || slices < 1) {
            throw new IllegalArgumentException("calls and slices must be positive: " + calls + ", " + slices);
        }
        int count = Math.min(calls, slices);
        int[] sizes = new int[count];
        for (int slice = 0; slice < count; slice++) {
            sizes[slice] = calls / count + (slice < calls % count ? 1 : 0);
        }
        return sizes;
    }

    /** The paths in the order round {@code round} (1-based) runs them: each round starts one path later, so no path always follows the same one. */
    static <T> List<T> rotation(List<T> paths, int round)
    {
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1: " + round);
        }
        List<T> rotated = new ArrayList<>(paths);
        if (!rotated.isEmpty()) {
            Collections.rotate(rotated, -((round - 1) % rotated.size()));
        }
        return rotated;
    }
}
