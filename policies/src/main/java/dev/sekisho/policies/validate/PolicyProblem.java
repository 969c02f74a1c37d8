package dev.sekisho.policies.validate;

import dev.sekisho.policies.model.SourceLocation;

import static java.util.Objects.requireNonNull;

/**
 * Something wrong with the policy files, as admins see it:
 * {@code shop.yaml:12: tables.shop.customers.columns.email.mask: unknown mask 'emial'; did you mean 'email'?}
 *
 * @param location the file and line
 * @param path the YAML path of the offending key (dotted), or empty
 * @param message what is wrong and what to write instead
 */
public record PolicyProblem(SourceLocation location, String path, String message)
{
    public PolicyProblem
    {
        requireNonNull(location, "location is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        return path.isEmpty() ? location + ": " + message : location + ": " + path + ": " + message;
    }
}
