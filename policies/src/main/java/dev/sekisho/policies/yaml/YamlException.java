package dev.sekisho.policies.yaml;

import dev.sekisho.policies.model.SourceLocation;

import static java.util.Objects.requireNonNull;

/**
 * A YAML document that cannot be read: not YAML, several documents, a key given twice. Names the
 * file, the line and (when there is one) the key; each reader of YAML turns it into its own error
 * (a policy problem, a configuration error).
 */
public class YamlException
        extends RuntimeException
{
    private final SourceLocation location;
    private final String key;
    private final String problem;

    public YamlException(SourceLocation location, String key, String problem)
    {
        super(requireNonNull(location, "location is null") + (key.isEmpty() ? "" : ": " + key) + ": " + requireNonNull(problem, "problem is null"));
        this.location = location;
        this.key = requireNonNull(key, "key is null");
        this.problem = problem;
    }

    public SourceLocation location()
    {
        return location;
    }

    /** The key the problem is about; empty when it is about the document. */
    public String key()
    {
        return key;
    }

    /** What is wrong, without the location. */
    public String problem()
    {
        return problem;
    }
}
