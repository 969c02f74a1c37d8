package dev.sekisho.policies.model;

import java.math.BigDecimal;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A column mask: what users who are not in {@code unmasked_for} see instead of the column's value.
 * The exact output of every kind is defined in docs/policies.md and, for values computed in Java,
 * by {@link dev.sekisho.policies.mask.ReferenceMasks}. A mask never sees NULL: NULL stays NULL
 * (except {@code redact}, whose constant replaces every value, and {@code sql}).
 *
 * <p>Parameter ranges (non-negative counts, positive step, one mask character) are checked by
 * {@link dev.sekisho.policies.validate.StructuralChecks}, so that a bad file is reported with its
 * line rather than failing here.
 */
public sealed interface Mask
        permits Mask.Redact, Mask.Partial, Mask.Email, Mask.Hash, Mask.Nullify, Mask.Year, Mask.Round, Mask.Phone, Mask.Sql
{
    /** The kinds, by the names used in the files. */
    enum Kind
    {
        REDACT, PARTIAL, EMAIL, HASH, NULLIFY, YEAR, ROUND, PHONE, SQL;

        /** The name in the policy files, e.g. {@code partial}. */
        public String key()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind();

    /**
     * A canonical description with every parameter, e.g. {@code partial(keep_first=1,keep_last=0,mask_char='*')}.
     * Two masks are equal exactly when their descriptions are.
     */
    String describe();

    /** A constant of the column's type: {@code '****'} for text, 0 for numbers, and so on. */
    record Redact()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.REDACT;
        }

        @Override
        public String describe()
        {
            return "redact";
        }
    }

    /**
     * Keeps the first {@code keepFirst} and last {@code keepLast} characters and replaces each other
     * character with {@code maskChar}. A value no longer than {@code keepFirst + keepLast} is masked
     * whole.
     */
    record Partial(int keepFirst, int keepLast, String maskChar)
            implements Mask
    {
        public Partial
        {
            requireNonNull(maskChar, "maskChar is null");
        }

        @Override
        public Kind kind()
        {
            return Kind.PARTIAL;
        }

        @Override
        public String describe()
        {
            return "partial(keep_first=%d,keep_last=%d,mask_char='%s')".formatted(keepFirst, keepLast, maskChar.replace("'", "''"));
        }
    }

    /** {@code alice@example.com} -> {@code ****@example.com}; without an {@code @}, {@code ****}. */
    record Email()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.EMAIL;
        }

        @Override
        public String describe()
        {
            return "email";
        }
    }

    /** Lower-case hex SHA-256 of the secret salt followed by the value's UTF-8 text. */
    record Hash()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.HASH;
        }

        @Override
        public String describe()
        {
            return "hash";
        }
    }

    /** NULL of the column's type. */
    record Nullify()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.NULLIFY;
        }

        @Override
        public String describe()
        {
            return "nullify";
        }
    }

    /** Dates and timestamps truncated to January 1 (00:00:00) of their year. */
    record Year()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.YEAR;
        }

        @Override
        public String describe()
        {
            return "year";
        }
    }

    /** Numbers rounded to the nearest multiple of {@code step}, halves away from zero. */
    record Round(BigDecimal step)
            implements Mask
    {
        public Round
        {
            requireNonNull(step, "step is null");
        }

        @Override
        public Kind kind()
        {
            return Kind.ROUND;
        }

        @Override
        public String describe()
        {
            return "round(step=" + step.stripTrailingZeros().toPlainString() + ")";
        }

        @Override
        public boolean equals(Object o)
        {
            return o instanceof Round other && step.compareTo(other.step) == 0;
        }

        @Override
        public int hashCode()
        {
            return step.stripTrailingZeros().hashCode();
        }
    }

    /** Every digit but the last four replaced with {@code *}; other characters kept. */
    record Phone()
            implements Mask
    {
        @Override
        public Kind kind()
        {
            return Kind.PHONE;
        }

        @Override
        public String describe()
        {
            return "phone";
        }
    }

    /**
     * A SQL expression over the row's raw columns (and bound {@code :user.*} values) whose result
     * replaces the column.
     */
    record Sql(String expression)
            implements Mask
    {
        public Sql
        {
            requireNonNull(expression, "expression is null");
        }

        @Override
        public Kind kind()
        {
            return Kind.SQL;
        }

        @Override
        public String describe()
        {
            return "sql(" + expression + ")";
        }
    }
}
