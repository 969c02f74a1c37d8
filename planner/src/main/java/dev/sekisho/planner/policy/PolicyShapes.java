package dev.sekisho.planner.policy;

import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.ParameterValue;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.TableName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plan-cache fingerprint of the effective policies of a statement's tables: everything that
 * shapes the secured plan (visibility, hidden columns, masks, filter texts and modes, which
 * attributes are bound and how many groups {@code :user.groups} expands to) and nothing that is
 * only bound at execute time (the attribute values themselves, the salt) or that does not change
 * the plan (user names, roles, rule origins). Principals with equal fingerprints share a plan.
 */
final class PolicyShapes
{
    private PolicyShapes() {}

    static String fingerprint(Map<TableName, EffectivePolicy> policies, boolean hasSalt)
    {
        StringBuilder text = new StringBuilder();
        field(text, "salt", Boolean.toString(hasSalt));
        TreeMap<TableName, EffectivePolicy> sorted = new TreeMap<>(Comparator.comparing(TableName::toString));
        sorted.putAll(policies);
        sorted.forEach((table, policy) -> shape(text, table, policy));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "policy:" + HexFormat.of().formatHex(hash);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void shape(StringBuilder text, TableName table, EffectivePolicy policy)
    {
        field(text, "table", table.toString());
        field(text, "visible", Boolean.toString(policy.visible()));
        if (!policy.visible()) {
            return;
        }
        field(text, "denied", String.join(",", new TreeSet<>(policy.deniedColumns())));
        new TreeMap<>(policy.masks()).forEach((column, mask) -> field(text, "mask:" + column, mask.describe()));
        field(text, "noRows", Boolean.toString(policy.noRows()));
        for (RowFilter filter : policy.permissiveFilters()) {
            field(text, "permissive", filter.where());
        }
        for (RowFilter filter : policy.restrictiveFilters()) {
            field(text, "restrictive", filter.where());
        }
        new TreeMap<>(policy.parameters()).forEach((name, value) ->
                field(text, "bound:" + name, value instanceof ParameterValue.TextList list ? Integer.toString(list.values().size()) : "1"));
    }

    /** Length-prefixed, so that no two different contents encode alike. */
    private static void field(StringBuilder text, String name, String value)
    {
        text.append(name.length()).append(':').append(name).append('=').append(value.length()).append(':').append(value).append('\n');
    }
}
