package dev.sekisho.policies.validate;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the closest known name for a misspelt one (edit distance; short words need closer
 * matches). The one edit distance of Sekisho: policy files, {@code sekisho.yaml} and the planner's
 * "did you mean" hints all use it.
 */
public final class DidYouMean
{
    private DidYouMean() {}

    /** The closest candidate within a small edit distance (or that extends the word), if any. */
    public static Optional<String> closest(String word, Collection<String> candidates)
    {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String other = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(lower, other);
            if (lower.length() >= 4 && (other.startsWith(lower) || lower.startsWith(other))) {
                distance = Math.min(distance, 1);
            }
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = lower.length() <= 3 ? 1 : lower.length() <= 6 ? 2 : 3;
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** The candidate nearest to {@code word} (ignoring case), if it is at most {@code maxDistance} edits away. */
    public static Optional<String> closestWithin(String word, Collection<String> candidates, int maxDistance)
    {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} or empty text. */
    public static String suffix(String word, Collection<String> candidates)
    {
        return closest(word, candidates).map(match -> "; did you mean '" + match + "'?").orElse("");
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    public static int distance(String a, String b)
    {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
