package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.functions.PgOperators;
import dev.sekisho.planner.types.PostgresTypeSystem;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * How Calcite is set up to read PostgreSQL, for statements and for policy expressions alike:
 * Babel's parser with PostgreSQL's quoting and case folding, the operator table (Calcite's
 * standard and PostgreSQL libraries, PostgreSQL functions Calcite lacks, the catalog emulation's
 * functions; looked up ignoring case), validation with PostgreSQL's null ordering and without
 * select-alias references, and SQL-to-Rel that keeps sub-queries for the planner to place.
 */
public final class CalciteConfig
{
    public static final SqlParser.Config PARSER_CONFIG = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withConformance(SqlConformanceEnum.BABEL)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true);

    private static final SqlOperatorTable LIBRARY = SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.POSTGRESQL);

    public static final SqlOperatorTable OPERATORS = new CaseInsensitiveOperatorTable(SqlOperatorTables.chain(
            LIBRARY,
            // PostgreSQL functions that Calcite's PostgreSQL library lacks, each once: an operator found twice is not found at all
            // when a resolved call is validated again (ORDER BY length(name) over a select item name, s028), since the lookup
            // by the resolved operator's kind drops both copies
            SqlOperatorTables.of(java.util.stream.Stream.of(SqlLibraryOperators.LENGTH, SqlLibraryOperators.ARRAY_TO_STRING)
                    .filter(operator -> !LIBRARY.getOperatorList().contains(operator)).toList()),
            // pg_catalog's functions (catalog emulation)
            PgOperators.operatorTable(),
            // the final step of ordered-set aggregates, typed as the group's values
            dev.sekisho.planner.pg.functions.PgOrderedSetFunctions.operatorTable()));

    /** Babel's leniency, without references to other select items' aliases (PostgreSQL has none). */
    static final SqlConformance CONFORMANCE = new SqlDelegatingConformance(SqlConformanceEnum.BABEL)
    {
        @Override
        public SelectAliasLookup isSelectAlias()
        {
            return SelectAliasLookup.UNSUPPORTED;
        }

        @Override
        public boolean isNonStrictGroupBy()
        {
            return false;
        }
    };

    public static final SqlValidator.Config VALIDATOR_CONFIG = SqlValidator.Config.DEFAULT
            .withConformance(CONFORMANCE)
            .withDefaultNullCollation(NullCollation.HIGH)
            .withIdentifierExpansion(true)
            .withTypeCoercionEnabled(true);

    /** Name resolution of the catalog readers: case-sensitive, unquoted names folded to lower case. */
    static final CalciteConnectionConfig CONNECTION_CONFIG;

    static {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
        properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.TO_LOWER.name());
        properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.BABEL.name());
        CONNECTION_CONFIG = new CalciteConnectionConfigImpl(properties);
    }

    /** Sub-queries stay as they are written (the planner decorrelates what runs locally), and every field is kept. */
    public static final SqlToRelConverter.Config TO_REL_CONFIG = SqlToRelConverter.config()
            .withExpand(false)
            .withInSubQueryThreshold(Integer.MAX_VALUE)
            .withTrimUnusedFields(false);

    private CalciteConfig() {}

    /** A new type factory with PostgreSQL's typing rules and UTF-8 strings; one per statement. */
    public static JavaTypeFactory typeFactory()
    {
        return new JavaTypeFactoryImpl(PostgresTypeSystem.INSTANCE)
        {
            @Override
            public Charset getDefaultCharset()
            {
                return StandardCharsets.UTF_8;
            }
        };
    }
}
