package dev.sekisho.connectors.mysql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fewest active statements per unit of weight first (a server of weight 2 takes twice the
 * statements of one of weight 1 before it counts as busier); servers equally busy take turns in
 * proportion to their weights, so that an idle source still spreads its statements as configured.
 */
public final class LeastBusySelector
        implements ReadServerSelector
{
    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public List<String> choose(List<Candidate> candidates)
    {
        int size = candidates.size();
        int total = 0;
        for (Candidate candidate : candidates) {
            total += candidate.weight();
        }
        int position = Math.floorMod(turn.getAndIncrement(), total);
        int start = 0;
        while (position >= candidates.get(start).weight()) {
            position -= candidates.get(start).weight();
            start++;
        }
        List<Candidate> rotated = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            rotated.add(candidates.get((start + i) % size));
        }
        // a stable sort keeps the rotation among servers that are equally busy
        if (size > 1) {
            rotated.sort(Comparator.comparingDouble(candidate -> (double) candidate.activeStatements() / candidate.weight()));
        }
        String[] names = new String[size];
        for (int i = 0; i < size; i++) {
            names[i] = rotated.get(i).name();
        }
        return List.of(names);
    }
}
