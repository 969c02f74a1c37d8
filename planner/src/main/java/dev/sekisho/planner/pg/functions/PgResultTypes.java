package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.pg.catalog.PgCatalogFunctions;
import dev.sekisho.planner.pg.catalog.PgRelation;
import dev.sekisho.planner.pg.catalog.PgSessionFunctions;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The PostgreSQL types of a plan's result columns where they are not what Sekisho's column types
 * imply: catalog columns keep their declared types ({@code name}, {@code oid}, {@code "char"},
 * {@code int2vector}...), and so do the catalog functions' results ({@code current_database()} is a
 * {@code name}, {@code x::regclass} a {@code regclass}). Also tells whether a plan touches the
 * catalog emulation at all, which makes it run locally.
 */
public final class PgResultTypes
{
    private static final Map<String, Integer> FUNCTION_TYPES = Map.ofEntries(
            Map.entry("pg_name", PgTypeInfo.NAME),
            Map.entry("pg_name_array", PgTypeInfo.NAME_ARRAY),
            Map.entry("pg_oid", PgTypeInfo.OID),
            Map.entry("pg_regproc", PgTypeInfo.REGPROC),
            Map.entry("pg_regclass_out", PgTypeInfo.REGCLASS),
            Map.entry("pg_regtype_out", PgTypeInfo.REGTYPE),
            Map.entry("pg_regnamespace_out", 4089),
            Map.entry("pg_get_userbyid", PgTypeInfo.NAME),
            Map.entry("pg_encoding_to_char", PgTypeInfo.NAME),
            Map.entry("pg_sleep", PgTypeInfo.VOID),
            Map.entry("current_user", PgTypeInfo.NAME),
            Map.entry("session_user", PgTypeInfo.NAME),
            Map.entry("user", PgTypeInfo.NAME),
            Map.entry("pg_slice", PgTypeInfo.TEXT),
            Map.entry("pg_int2_array", PgTypeInfo.INT2_ARRAY),
            Map.entry("pg_int4_array", PgTypeInfo.INT4_ARRAY),
            Map.entry("pg_text_array", PgTypeInfo.TEXT_ARRAY),
            Map.entry("pg_bool_array", PgTypeInfo.BOOL_ARRAY),
            Map.entry("json_build_object", PgTypeInfo.JSON),
            Map.entry("json_build_array", PgTypeInfo.JSON),
            Map.entry("to_json", PgTypeInfo.JSON),
            Map.entry("row_to_json", PgTypeInfo.JSON),
            Map.entry("pg_json_agg", PgTypeInfo.JSON),
            Map.entry("pg_text", PgTypeInfo.TEXT),
            Map.entry("regexp_split_to_array", PgTypeInfo.TEXT_ARRAY),
            Map.entry("regexp_match", PgTypeInfo.TEXT_ARRAY),
            Map.entry("pg_regexp_substring", PgTypeInfo.TEXT),
            Map.entry("encode", PgTypeInfo.TEXT));
    /** The table functions whose first column is not what its engine type implies: their text arrays. */
    private static final Set<String> TEXT_ARRAY_TABLE_FUNCTIONS = Set.of("regexp_matches", "pg_srf_regexp_matches");

    /** The catalog's and the session's functions and those over arrays' text form: a plan calling one runs in the gateway. */
    private static final Set<Class<?>> CATALOG_FUNCTIONS = Set.of(PgCatalogFunctions.class, PgSessionFunctions.class, PgArrayFunctions.class);

    private PgResultTypes() {}

    /** For each field of the plan's row, the PostgreSQL type OID if the catalog emulation decides it, else 0. */
    public static int[] typeOids(RelNode rel)
    {
        int[] oids = new int[rel.getRowType().getFieldCount()];
        for (int i = 0; i < oids.length; i++) {
            if (PgInterval.isType(rel.getRowType().getFieldList().get(i).getType())) {
                oids[i] = PgTypeInfo.INTERVAL;
                continue;
            }
            try {
                oids[i] = field(rel, i, 0);
            }
            catch (RuntimeException e) {
                oids[i] = 0;
            }
        }
        return oids;
    }

    /** Whether the plan reads a catalog relation or calls a catalog function. */
    public static boolean usesCatalog(RelNode rel)
    {
        boolean[] found = new boolean[1];
        RelHomogeneousShuttle[] shuttle = new RelHomogeneousShuttle[1];
        RexShuttle rex = new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                if (isCatalogFunction(call)) {
                    found[0] = true;
                }
                return super.visitCall(call);
            }

            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery)
            {
                subQuery.rel.accept(shuttle[0]);
                return super.visitSubQuery(subQuery);
            }
        };
        shuttle[0] = new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                if (other instanceof TableScan scan && scan.getTable().unwrap(PgRelation.class) != null) {
                    found[0] = true;
                }
                if (other instanceof org.apache.calcite.rel.core.TableFunctionScan) {
                    found[0] = true;
                }
                other.accept(rex);
                return super.visit(other);
            }
        };
        rel.accept(shuttle[0]);
        return found[0];
    }

    private static boolean isCatalogFunction(RexCall call)
    {
        if (call.getOperator() instanceof org.apache.calcite.sql.validate.SqlUserDefinedFunction function) {
            return function.getFunction() instanceof org.apache.calcite.schema.impl.ScalarFunctionImpl impl
                    && CATALOG_FUNCTIONS.contains(impl.method.getDeclaringClass());
        }
        SqlKind kind = call.getKind();
        return call.getOperator().getName().equalsIgnoreCase("CURRENT_USER") || call.getOperator().getName().equalsIgnoreCase("SESSION_USER")
                || call.getOperator().getName().equalsIgnoreCase("USER") || kind == SqlKind.OTHER_FUNCTION && call.getOperator().getName().equalsIgnoreCase("VERSION");
    }

    private static int field(RelNode rel, int field, int depth)
    {
        if (depth > 64) {
            return 0;
        }
        if (rel instanceof TableScan scan) {
            PgRelation relation = scan.getTable().unwrap(PgRelation.class);
            return relation == null ? 0 : relation.columnType(field);
        }
        if (rel instanceof Project project) {
            return rex(project.getProjects().get(field), project.getInput(), depth + 1);
        }
        if (rel instanceof Filter || rel instanceof Sort) {
            return field(rel.getInput(0), field, depth + 1);
        }
        if (rel instanceof Join || rel instanceof Correlate) {
            int left = rel.getInput(0).getRowType().getFieldCount();
            return field < left ? field(rel.getInput(0), field, depth + 1) : field(rel.getInput(1), field - left, depth + 1);
        }
        if (rel instanceof SetOp setOp) {
            for (RelNode input : setOp.getInputs()) {
                int type = field(input, field, depth + 1);
                if (type != 0) {
                    return type;
                }
            }
            return 0;
        }
        if (rel instanceof Aggregate aggregate) {
            if (field < aggregate.getGroupCount()) {
                return field(aggregate.getInput(), aggregate.getGroupSet().asList().get(field), depth + 1);
            }
            return 0;
        }
        if (rel instanceof Window window) {
            int inputFields = window.getInput().getRowType().getFieldCount();
            return field < inputFields ? field(window.getInput(), field, depth + 1) : 0;
        }
        if (rel instanceof org.apache.calcite.rel.core.TableFunctionScan scan && field == 0 && scan.getCall() instanceof RexCall call
                && TEXT_ARRAY_TABLE_FUNCTIONS.contains(call.getOperator().getName().toLowerCase(Locale.ROOT))) {
            return PgTypeInfo.TEXT_ARRAY;
        }
        if (rel instanceof org.apache.calcite.plan.hep.HepRelVertex vertex) {
            return field(vertex.getCurrentRel(), field, depth + 1);
        }
        return 0;
    }

    private static int rex(RexNode node, RelNode input, int depth)
    {
        if (node instanceof RexInputRef ref) {
            return field(input, ref.getIndex(), depth + 1);
        }
        if (node instanceof RexSubQuery subQuery) {
            int element = subQuery.getKind() == SqlKind.SCALAR_QUERY || subQuery.getKind() == SqlKind.ARRAY_QUERY_CONSTRUCTOR
                    ? field(subQuery.rel, 0, depth + 1) : 0;
            if (subQuery.getKind() == SqlKind.ARRAY_QUERY_CONSTRUCTOR) {
                return arrayOf(element != 0 ? element : textLike(subQuery.rel.getRowType().getFieldList().get(0).getType()));
            }
            return element;
        }
        if (!(node instanceof RexCall call)) {
            return 0;
        }
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        Integer declared = FUNCTION_TYPES.get(name);
        if (declared != null) {
            return declared;
        }
        switch (call.getKind()) {
            case CAST -> {
                SqlTypeName target = call.getType().getSqlTypeName();
                SqlTypeName source = call.getOperands().get(0).getType().getSqlTypeName();
                return target == source || target == SqlTypeName.VARCHAR && source == SqlTypeName.CHAR ? rex(call.getOperands().get(0), input, depth + 1) : 0;
            }
            case CASE -> {
                boolean allLiterals = true;
                for (int i = 1; i < call.getOperands().size(); i += 2) {
                    allLiterals &= call.getOperands().get(i) instanceof RexLiteral;
                }
                allLiterals &= call.getOperands().get(call.getOperands().size() - 1) instanceof RexLiteral;
                if (allLiterals && SqlTypeName.CHAR_TYPES.contains(call.getType().getSqlTypeName())) {
                    // string literals are text in PostgreSQL
                    return PgTypeInfo.TEXT;
                }
                for (int i = 1; i < call.getOperands().size(); i += 2) {
                    int type = branch(call.getOperands().get(i), input, depth);
                    if (type != 0) {
                        return type;
                    }
                }
                return branch(call.getOperands().get(call.getOperands().size() - 1), input, depth);
            }
            case COALESCE -> {
                for (RexNode operand : call.getOperands()) {
                    int type = branch(operand, input, depth);
                    if (type != 0) {
                        return type;
                    }
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    /** The array type of an element type, 0 if PostgreSQL's array of it is not one the emulation names. */
    private static int arrayOf(int element)
    {
        return switch (element) {
            case PgTypeInfo.NAME -> PgTypeInfo.NAME_ARRAY;
            case PgTypeInfo.TEXT -> PgTypeInfo.TEXT_ARRAY;
            case PgTypeInfo.INT2 -> PgTypeInfo.INT2_ARRAY;
            case PgTypeInfo.INT4 -> PgTypeInfo.INT4_ARRAY;
            case PgTypeInfo.OID -> PgTypeInfo.OID_ARRAY;
            case PgTypeInfo.BOOL -> PgTypeInfo.BOOL_ARRAY;
            case PgTypeInfo.CHAR -> PgTypeInfo.CHAR_ARRAY;
            default -> 0;
        };
    }

    private static int textLike(RelDataType type)
    {
        return SqlTypeName.CHAR_TYPES.contains(type.getSqlTypeName()) ? PgTypeInfo.TEXT : 0;
    }

    private static int branch(RexNode node, RelNode input, int depth)
    {
        return node instanceof RexLiteral ? 0 : rex(node, input, depth + 1);
    }
}
