package dev.sekisho.policies.load;

import java.io.IOException;
import java.util.List;

/**
 * Where policy files come from. Reading is kept apart from parsing and evaluation, so that a
 * directory today and, say, an HTTP source later plug in the same way.
 */
public interface PolicySource
{
    /** Reads every policy file, all at once, in a stable order. */
    List<PolicyDocument> read()
            throws IOException;

    /** For messages, e.g. the directory. */
    String describe();
}
