package dev.sekisho.policies.load;

import static java.util.Objects.requireNonNull;

/**
 * The text of one policy file.
 *
 * @param name the file as locations name it (e.g. {@code policies/shop.yaml})
 * @param content the YAML text
 */
public record PolicyDocument(String name, String content)
{
    public PolicyDocument
    {
        requireNonNull(name, "name is null");
        requireNonNull(content, "content is null");
    }
}
