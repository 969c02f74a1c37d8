package dev.sekisho.policies.load;

import dev.sekisho.policies.validate.PolicyProblem;

import java.util.List;
import java.util.stream.Collectors;

/** Policy files that cannot be read or parsed; carries every problem found, each with file:line. */
public class PolicyException
        extends RuntimeException
{
    private final List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems)
    {
        super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems()
    {
        return problems;
    }
}
