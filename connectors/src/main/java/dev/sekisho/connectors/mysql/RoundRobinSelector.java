package dev.sekisho.connectors.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts each selection one server further along, ignoring weights and load; for tests that want a fixed rotation. */
public final class RoundRobinSelector
        implements ReadServerSelector
{
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public List<String> choose(List<Candidate> candidates)
    {
        return order(candidates.stream().map(Candidate::name).toList());
    }

    /** The names, starting one further along than the previous call. */
    public List<String> order(List<String> candidates)
    {
        int size = candidates.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        List<String> ordered = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ordered.add(candidates.get((start + i) % size));
        }
        return ordered;
    }
}
