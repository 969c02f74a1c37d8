package dev.sekisho.gateway.demo;

import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.validate.PolicyProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * What the demo's terminal says after the policy folder was reloaded, so that a newcomer who
 * edits a policy file watches hot reload and keep-last-good at work: an edit applied, or refused
 * with file:line while the previous policy stays live. Called on the watcher's thread only.
 */
public final class PolicyEditReport
{
    private ReloadResult.Outcome previous = ReloadResult.Outcome.APPLIED;

    /** The lines to print for a reload (none when nothing changed and nothing was wrong before). */
    public List<String> lines(ReloadResult result)
    {
        List<String> lines = new ArrayList<>();
        switch (result.outcome()) {
            case APPLIED -> lines.add("Policy edit applied: " + result.version() + " is live; the next query of every session uses it.");
            case REJECTED -> {
                lines.add("Policy edit refused; " + result.version() + " stays live. Correct the file and save it again:");
                for (PolicyProblem problem : result.problems()) {
                    lines.add("  " + problem);
                }
            }
            case UNCHANGED -> {
                if (previous == ReloadResult.Outcome.REJECTED) {
                    lines.add("Policy files are back to " + result.version() + ", the live policy.");
                }
            }
        }
        previous = result.outcome();
        return lines;
    }
}
