package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.pg.catalog.PgCatalogFunctions;
import dev.sekisho.planner.pg.catalog.PgSessionFunctions;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.SqlOperatorTable;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * PostgreSQL's functions that Calcite lacks as a Calcite operator table: the catalog's and the
 * session's ({@link PgCatalogFunctions}, {@link PgSessionFunctions}), and those over arrays, JSON,
 * dates, numbers and text and sets ({@link PgArrayFunctions}, {@link PgJsonFunctions}, {@link PgDateFunctions}, {@link PgScalarFunctions}, {@link PgMath},
 * {@link PgTableFunctions}).
 */
public final class PgOperators
{
    private static final SqlOperatorTable TABLE = create();

    private PgOperators() {}

    public static SqlOperatorTable operatorTable()
    {
        return TABLE;
    }

    private static SqlOperatorTable create()
    {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        SchemaPlus plus = root.plus();
        ScalarFunctionImpl.functions(PgCatalogFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgSessionFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgArrayFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgJsonFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgDateFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgIntervalFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgScalarFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgMath.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgRegexFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgBinaryFunctions.class).forEach(plus::add);
        ScalarFunctionImpl.functions(PgBitwiseFunctions.class).forEach(plus::add);
        for (Method method : PgTableFunctions.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && Modifier.isStatic(method.getModifiers())) {
                plus.add(method.getName(), TableFunctionImpl.create(method));
            }
        }
        return new CalciteCatalogReader(root, List.of(), new JavaTypeFactoryImpl(), CalciteConnectionConfig.DEFAULT);
    }
}
