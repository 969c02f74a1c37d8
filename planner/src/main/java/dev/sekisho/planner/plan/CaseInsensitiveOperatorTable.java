package dev.sekisho.planner.plan;

import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Looks functions up ignoring case: PostgreSQL folds unquoted names to lower case while Calcite
 * registers its built-ins in upper case; table and column names stay case-sensitive.
 */
final class CaseInsensitiveOperatorTable
        implements SqlOperatorTable
{
    private static final SqlNameMatcher IGNORE_CASE = SqlNameMatchers.withCaseSensitive(false);

    private final SqlOperatorTable delegate;

    CaseInsensitiveOperatorTable(SqlOperatorTable delegate)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax, List<SqlOperator> operatorList,
            SqlNameMatcher nameMatcher)
    {
        delegate.lookupOperatorOverloads(opName, category, syntax, operatorList, IGNORE_CASE);
    }

    @Override
    public List<SqlOperator> getOperatorList()
    {
        return delegate.getOperatorList();
    }
}
