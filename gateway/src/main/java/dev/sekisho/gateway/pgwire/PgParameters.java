package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.message.FormatCodes;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.SessionSettings;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The parameters of a connection's statements as the wire carries them: the type OIDs a Parse
 * declared (some types only an OID names), and Bind's values decoded from text or binary into the
 * Java values the session takes. Used by one thread at a time (the connection's task).
 */
final class PgParameters
{
    private final SessionSettings settings;
    /** The parameter type OIDs each statement was parsed with. */
    private final Map<String, int[]> declaredOids = new HashMap<>();

    PgParameters(SessionSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The types Parse declared, as the session knows them; null where unspecified or unknown. */
    List<ColumnType> declaredTypes(List<Integer> oids)
    {
        if (oids.isEmpty()) {
            // a statement with its values in its text (every Redash call): no list per Parse
            return List.of();
        }
        List<ColumnType> declared = new ArrayList<>(oids.size());
        for (int oid : oids) {
            declared.add(PgTypes.fromOid(oid).orElse(null));
        }
        return declared;
    }

    /** Statement {@code name} was parsed with these parameter type OIDs. */
    void declared(String name, List<Integer> oids)
    {
        int[] declared = new int[oids.size()];
        for (int i = 0; i < declared.length; i++) {
            declared[i] = oids.get(i);
        }
        declaredOids.put(name, declared);
    }

    /** Statement {@code name} is gone (Close, or the unnamed one of a simple Query). */
    void forget(String name)
    {
        declaredOids.remove(name);
    }

    /** ParameterDescription's OIDs for statement {@code name}: what Parse declared, else the type the planner inferred. */
    List<Integer> oids(String name, PreparedStatement statement)
    {
        List<ColumnType> parameterTypes = statement.parameterTypes();
        List<Integer> oids = new ArrayList<>(parameterTypes.size());
        for (int i = 0; i < parameterTypes.size(); i++) {
            ColumnType type = parameterTypes.get(i);
            Optional<PgWireType> declared = PgTypes.declaredParameterType(declaredOid(name, i));
            oids.add(declared.map(PgWireType::oid).orElse(type == null ? PgType.TEXT.oid() : PgTypes.of(type).oid()));
        }
        return oids;
    }

    /** Bind's parameter values for {@code statement}, decoded; 22P02, 22P03, 0A000 or 08P01 when they do not fit. */
    List<Object> decode(FrontendMessage.Bind bind, PreparedStatement statement)
    {
        List<byte[]> raw = bind.parameters();
        List<Integer> formats = bind.parameterFormats();
        if (formats.size() > 1 && formats.size() != raw.size()) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message has " + formats.size() + " parameter formats but " + raw.size()
                    + " parameters");
        }
        List<ColumnType> types = statement.parameterTypes();
        if (raw.size() != types.size()) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message supplies " + raw.size() + " parameters, but prepared statement \""
                    + bind.statementName() + "\" requires " + types.size());
        }
        List<Object> values = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            byte[] bytes = raw.get(i);
            if (bytes == null) {
                values.add(null);
                continue;
            }
            ColumnType type = types.get(i);
            int declaredOid = declaredOid(bind.statementName(), i);
            Optional<PgWireType> declaredType = PgTypes.declaredParameterType(declaredOid);
            PgWireType pgType = declaredType.orElse(type == null ? PgType.TEXT : PgTypes.of(type));
            int format = checkFormat(FormatCodes.format(formats, i));
            if (format == FormatCodes.BINARY) {
                boolean unknownOid = declaredOid != 0 && declaredType.isEmpty() && PgTypes.forOid(declaredOid).filter(PgType.class::isInstance).isEmpty();
                if (unknownOid || !pgType.hasBinary()) {
                    String typeName = PgTypes.forOid(declaredOid).map(PgWireType::displayName).orElse("with OID " + declaredOid);
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "binary format is not supported for parameter $" + (i + 1) + " of type "
                            + typeName + "; send this parameter in text format");
                }
                ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
                Object value = pgType.decodeBinary(buffer, bytes.length);
                if (buffer.isReadable()) {
                    throw new QueryException("22P03", "incorrect binary data format in bind parameter " + (i + 1));
                }
                values.add(value);
            }
            else {
                values.add(pgType.decodeText(new String(bytes, StandardCharsets.UTF_8), settings.timeZone()));
            }
        }
        return values;
    }

    /** {@code format}, if it is a format code this server knows; else 22023. */
    static int checkFormat(int format)
    {
        if (!FormatCodes.isKnown(format)) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unsupported format code: " + format);
        }
        return format;
    }

    /** The OID parameter {@code index} of a statement was declared with in Parse; 0 if none. */
    private int declaredOid(String statementName, int index)
    {
        int[] oids = declaredOids.get(statementName);
        return oids != null && index < oids.length ? oids[index] : 0;
    }
}
