package dev.sekisho.policies.testcase;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What a policy test expects. Either an error, or any combination of the other checks.
 *
 * @param error the SQLSTATE the query must fail with, e.g. {@code 42P01}
 * @param rows the exact number of rows
 * @param columns the exact result column names, in order
 * @param absentColumns result columns that must not appear
 * @param maskedColumns result columns whose values must come through a mask
 * @param unmaskedColumns result columns whose values must be raw
 */
public record PolicyTestExpectation(
        Optional<String> error,
        OptionalLong rows,
        Optional<List<String>> columns,
        List<String> absentColumns,
        List<String> maskedColumns,
        List<String> unmaskedColumns)
{
    public PolicyTestExpectation
    {
        requireNonNull(error, "error is null");
        requireNonNull(rows, "rows is null");
        columns = columns.map(List::copyOf);
        absentColumns = List.copyOf(absentColumns);
        maskedColumns = List.copyOf(maskedColumns);
        unmaskedColumns = List.copyOf(unmaskedColumns);
    }
}
