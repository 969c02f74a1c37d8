package dev.sekisho.planner.plan;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.pg.functions.PgResultTypes;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.types.PostgresTypeSystem;
import dev.sekisho.planner.types.TypeMapping;
import dev.sekisho.planner.types.ValueConverters;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A planned statement's result columns as clients see them: the name, the type (a source column's
 * own type when the column reads one unchanged, with its origin for RowDescription), and
 * PostgreSQL's type OID where the catalog emulation or a cast to {@code varchar} decides it; and,
 * for a statement its source runs whole, how each value the source returns is converted.
 */
final class ResultColumns
{
    private ResultColumns() {}

    /**
     * @param names the columns' names ({@link ColumnNames#of})
     * @param rel the planned statement
     * @param sourceColumns for each result column, the field of {@code rel} it reads
     * @param varcharCasts {@link ColumnNames#varcharCasts} of the statement, or null
     */
    static List<ResultColumn> of(List<String> names, RelNode rel, int[] sourceColumns, int[] varcharCasts, RelMetadataQuery metadataQuery)
    {
        List<ResultColumn> columns = new ArrayList<>();
        int[] pgTypes = PgResultTypes.typeOids(rel);
        for (int i = 0; i < sourceColumns.length; i++) {
            columns.add(resultColumn(names.get(i), rel, sourceColumns[i], metadataQuery));
            int pgType = pgTypes[sourceColumns[i]];
            if (varcharCasts != null && varcharCasts.length == sourceColumns.length && varcharCasts[i] != 0) {
                pgType = varcharCasts[i];
            }
            if (pgType != 0) {
                ResultColumn column = columns.get(i);
                columns.set(i, new ResultColumn(column.name(), column.type(), column.origin(), pgType));
            }
        }
        return columns;
    }

    /**
     * For each result column of a statement its source runs whole, the converter of the value the source
     * returns to the column's Java class, or null where the value passes unchanged.
     */
    @SuppressWarnings("unchecked")
    static UnaryOperator<Object>[] converters(List<ResultColumn> columns, RelNode rel, int[] sourceColumns, RelMetadataQuery metadataQuery)
    {
        UnaryOperator<Object>[] converters = new UnaryOperator[columns.size()];
        for (int i = 0; i < converters.length; i++) {
            ColumnType.Kind kind = columns.get(i).type().kind();
            RelColumnOrigin origin = columns.get(i).origin().isPresent() ? columnOrigin(rel, sourceColumns[i], metadataQuery) : null;
            // an unchanged source column already arrives as its own type's Java class
            converters[i] = origin != null ? null : ValueConverters.toKind(kind);
            if (isUnboundedNumericCast(rel, sourceColumns[i])) {
                // MySQL computed it as DECIMAL(65, 30): the value's own digits, as PostgreSQL's numeric keeps them
                UnaryOperator<Object> decimal = ValueConverters.toKind(ColumnType.Kind.DECIMAL);
                converters[i] = value -> value == null ? null : stripZeros((java.math.BigDecimal) decimal.apply(value));
            }
        }
        return converters;
    }

    private static ResultColumn resultColumn(String name, RelNode rel, int field, RelMetadataQuery metadataQuery)
    {
        RelDataType type = rel.getRowType().getFieldList().get(field).getType();
        Optional<ResultColumn.ColumnOrigin> origin = Optional.empty();
        ColumnType columnType = TypeMapping.toColumnType(type);
        if (columnType.kind() == ColumnType.Kind.CHAR) {
            // string literals and expressions over them are text in PostgreSQL, not char(n)
            columnType = ColumnType.of(ColumnType.Kind.TEXT);
        }
        if (columnType.kind() == ColumnType.Kind.ARRAY && columnType.elementType().map(element -> element.kind() == ColumnType.Kind.CHAR).orElse(false)) {
            // ARRAY['a', 'b'] and string_to_array(...) are text[]
            columnType = ColumnType.array(ColumnType.of(ColumnType.Kind.TEXT));
        }
        RelColumnOrigin columnOrigin = columnOrigin(rel, field, metadataQuery);
        if (columnOrigin == null && columnType.kind() == ColumnType.Kind.VARCHAR && !isCastToVarchar(rel, field)) {
            // PostgreSQL's text functions and aggregates (upper, substr, max, string_agg, ...) return text; only a column or a cast is varchar
            columnType = ColumnType.of(ColumnType.Kind.TEXT);
        }
        if (columnOrigin == null && columnType.kind() == ColumnType.Kind.TEXT) {
            // CASE, COALESCE and set operations over strings: PostgreSQL's common type, the first typed input's
            columnType = PgStringTypes.commonType(rel, field).orElse(columnType);
        }
        if (columnOrigin != null) {
            ConnectorTable table = columnOrigin.getOriginTable().unwrap(ConnectorTable.class);
            if (table != null) {
                int ordinal = columnOrigin.getOriginColumnOrdinal();
                ColumnMetadata column = table.metadata().columns().get(ordinal);
                columnType = column.type();
                origin = Optional.of(new ResultColumn.ColumnOrigin(table.exposedSchema(), table.metadata().name(), column.name(), ordinal + 1));
            }
        }
        return new ResultColumn(name, columnType, origin);
    }

    private static RelColumnOrigin columnOrigin(RelNode rel, int field, RelMetadataQuery metadataQuery)
    {
        try {
            RelColumnOrigin origin = metadataQuery.getColumnOrigin(rel, field);
            return origin == null || origin.isDerived() ? null : origin;
        }
        catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the field is computed by an explicit cast to varchar (through sorts and filters). */
    private static boolean isCastToVarchar(RelNode rel, int field)
    {
        RelNode node = rel;
        while (node instanceof org.apache.calcite.rel.core.Sort || node instanceof org.apache.calcite.rel.core.Filter) {
            node = node.getInput(0);
        }
        return node instanceof org.apache.calcite.rel.core.Project project && field < project.getProjects().size()
                && project.getProjects().get(field).getKind() == SqlKind.CAST;
    }

    private static boolean isUnboundedNumericCast(RelNode rel, int field)
    {
        // an exact number keeps its own scale (cast to DECIMAL(65, scale) for MySQL): nothing to strip
        return rel instanceof org.apache.calcite.rel.core.Project project && project.getProjects().get(field).getKind() == SqlKind.CAST
                && PostgresTypeSystem.isUnboundedNumeric(project.getProjects().get(field).getType())
                && !org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(((org.apache.calcite.rex.RexCall) project.getProjects().get(field)).getOperands().get(0).getType());
    }

    private static java.math.BigDecimal stripZeros(java.math.BigDecimal value)
    {
        java.math.BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
