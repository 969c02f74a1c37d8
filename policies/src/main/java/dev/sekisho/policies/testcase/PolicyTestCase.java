package dev.sekisho.policies.testcase;

import dev.sekisho.policies.model.SourceLocation;

import static java.util.Objects.requireNonNull;

/**
 * One policy test: as this user, this query, expect this.
 *
 * @param name what the test shows
 * @param user whom it runs as
 * @param query the SQL
 * @param expect what must hold
 * @param origin where it was written
 */
public record PolicyTestCase(String name, PolicyTestUser user, String query, PolicyTestExpectation expect, SourceLocation origin)
{
    public PolicyTestCase
    {
        requireNonNull(name, "name is null");
        requireNonNull(user, "user is null");
        requireNonNull(query, "query is null");
        requireNonNull(expect, "expect is null");
        requireNonNull(origin, "origin is null");
    }
}
