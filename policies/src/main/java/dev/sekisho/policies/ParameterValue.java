package dev.sekisho.policies;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The value bound to a {@code :user.*} placeholder: one string, or a list for {@code :user.groups}. */
public sealed interface ParameterValue
        permits ParameterValue.Text, ParameterValue.TextList
{
    /** A single string, e.g. {@code :user.region} = {@code JP}. */
    record Text(String value)
            implements ParameterValue
    {
        public Text
        {
            requireNonNull(value, "value is null");
        }
    }

    /** A list of strings, sorted, e.g. {@code :user.groups} = {@code [analysts, finance]}. */
    record TextList(List<String> values)
            implements ParameterValue
    {
        public TextList
        {
            values = List.copyOf(values);
        }
    }
}
