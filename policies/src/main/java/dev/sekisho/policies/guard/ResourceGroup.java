package dev.sekisho.policies.guard;

import dev.sekisho.policies.model.SourceLocation;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One resource group: how many of its statements run at once, how many may wait and for how
 * long, how long one may run and how many rows it may return.
 *
 * @param name the group's name
 * @param maxConcurrent statements of the group that run at once
 * @param maxQueued statements that may wait for a slot; more are refused at once
 * @param queueTimeout how long a statement waits for a slot before it is refused
 * @param statementTimeout how long a statement may run once it started; empty: no limit
 * @param maxRows rows a statement may return; empty: no limit
 * @param origin where it was written
 */
public record ResourceGroup(String name, int maxConcurrent, int maxQueued, Duration queueTimeout, Optional<Duration> statementTimeout, OptionalLong maxRows,
        SourceLocation origin)
{
    public ResourceGroup
    {
        requireNonNull(name, "name is null");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative: " + maxQueued);
        }
        requireNonNull(queueTimeout, "queueTimeout is null");
        requireNonNull(statementTimeout, "statementTimeout is null");
        requireNonNull(maxRows, "maxRows is null");
        requireNonNull(origin, "origin is null");
    }
}
