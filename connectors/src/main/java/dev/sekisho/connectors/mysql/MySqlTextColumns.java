package dev.sekisho.connectors.mysql;

import com.mysql.cj.MysqlType;
import com.mysql.cj.result.Field;
import dev.sekisho.connectors.jdbc.TextColumn;
import dev.sekisho.planner.spi.ColumnMetadata;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns of a result can hand on Connector/J's raw row bytes as the values' text. Only the
 * text protocol carries values as text (a plain statement's rows and a client-side prepared
 * one's): a server-side prepared statement's rows are binary, so none of its columns qualify. Of a
 * text-protocol result, integer columns (not BIT, YEAR or TINYINT(1), which read as something
 * else) and strings whose bytes are UTF-8 qualify.
 */
final class MySqlTextColumns
{
    private static final Set<MysqlType> INTEGERS = EnumSet.of(MysqlType.TINYINT, MysqlType.TINYINT_UNSIGNED, MysqlType.SMALLINT, MysqlType.SMALLINT_UNSIGNED,
            MysqlType.MEDIUMINT, MysqlType.MEDIUMINT_UNSIGNED, MysqlType.INT, MysqlType.INT_UNSIGNED, MysqlType.BIGINT);
    private static final Set<MysqlType> STRINGS = EnumSet.of(MysqlType.CHAR, MysqlType.VARCHAR, MysqlType.TINYTEXT, MysqlType.TEXT, MysqlType.MEDIUMTEXT,
            MysqlType.LONGTEXT, MysqlType.ENUM, MysqlType.SET);

    private MySqlTextColumns() {}

    /** Per column, the form of its raw bytes, or null where values are read the ordinary way. */
    static TextColumn[] of(Statement statement, ResultSetMetaData metadata, List<ColumnMetadata> columns)
            throws SQLException
    {
        TextColumn[] text = new TextColumn[columns.size()];
        // a plain statement and a client-side prepared one (its subclass) read text; a server-side prepared one binary
        if (statement.isWrapperFor(com.mysql.cj.jdbc.ServerPreparedStatement.class)
                || !statement.isWrapperFor(com.mysql.cj.jdbc.StatementImpl.class)
                || !metadata.isWrapperFor(com.mysql.cj.jdbc.result.ResultSetMetaData.class)) {
            return text;
        }
        Field[] fields = metadata.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
        if (fields.length != text.length) {
            return text;
        }
        for (int i = 0; i < text.length; i++) {
            text[i] = form(fields[i], columns.get(i));
        }
        return text;
    }

    private static TextColumn form(Field field, ColumnMetadata column)
    {
        MysqlType type = field.getMysqlType();
        return switch (column.type().kind()) {
            case SMALLINT -> INTEGERS.contains(type) ? TextColumn.SMALLINT : null;
            case INTEGER -> INTEGERS.contains(type) ? TextColumn.INTEGER : null;
            case BIGINT -> INTEGERS.contains(type) ? TextColumn.BIGINT : null;
            // CHAR(n) is blank-padded by its reader, so only the kinds that read the string as it came
            case VARCHAR, TEXT -> STRINGS.contains(type) && !field.isBinary() && "UTF-8".equals(field.getEncoding()) ? TextColumn.UTF8_STRING : null;
            default -> null;
        };
    }
}
