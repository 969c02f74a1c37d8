package dev.sekisho.policies;

import dev.sekisho.policies.validate.PolicyProblem;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link PolicyStore#reload()} did.
 *
 * @param outcome applied, unchanged, or rejected
 * @param version the version now live ({@code none} if nothing has ever loaded)
 * @param rejectedVersion the version of the files that were rejected, if known
 * @param problems why it was rejected (each with file:line); empty unless rejected
 * @param at when the reload finished
 */
public record ReloadResult(Outcome outcome, String version, Optional<String> rejectedVersion, List<PolicyProblem> problems, Instant at)
{
    /** What a reload did. */
    public enum Outcome
    {
        /** A new snapshot is live. */
        APPLIED,
        /** The files are the same as the live snapshot's; nothing changed. */
        UNCHANGED,
        /** The files have problems; the previous snapshot stays live. */
        REJECTED
    }

    public ReloadResult
    {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(version, "version is null");
        requireNonNull(rejectedVersion, "rejectedVersion is null");
        problems = List.copyOf(problems);
        requireNonNull(at, "at is null");
        if ((outcome == Outcome.REJECTED) == problems.isEmpty()) {
            throw new IllegalArgumentException("a rejected reload has problems, and only a rejected one");
        }
    }

    public boolean isRejected()
    {
        return outcome == Outcome.REJECTED;
    }

    @Override
    public String toString()
    {
        if (outcome == Outcome.REJECTED) {
            return "policy reload rejected, keeping " + version + ":\n" + problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n"));
        }
        return "policy " + (outcome == Outcome.APPLIED ? "applied: " : "unchanged: ") + version;
    }
}
