package dev.sekisho.gateway.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The values {@code sekisho.yaml} took from {@code ${env:}} and {@code ${file:}} references: kept
 * only to be blanked out of messages that could repeat a value (a configuration error that quotes
 * what it found). Never printed itself.
 */
public final class ConfigSecrets
{
    /** What a secret is replaced with. */
    public static final String REDACTED = "****";

    private static final ConfigSecrets NONE = new ConfigSecrets(Set.of());

    /** Longest first, so that a secret that contains another is blanked whole. */
    private final List<String> values;

    ConfigSecrets(Set<String> values)
    {
        this.values = values.stream().filter(value -> !value.isEmpty()).sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** No secrets (a configuration without references). */
    public static ConfigSecrets none()
    {
        return NONE;
    }

    /** {@code text} with every secret value replaced by {@value #REDACTED}. */
    public String redact(String text)
    {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : values) {
            redacted = redacted.replace(value, REDACTED);
        }
        return redacted;
    }

    /** A configuration error with every secret blanked out of its reason. */
    public ConfigException redact(ConfigException e)
    {
        String reason = redact(e.reason());
        if (reason.equals(e.reason())) {
            return e;
        }
        ConfigException redacted = new ConfigException(e.file(), e.line(), e.key(), reason);
        redacted.setStackTrace(e.getStackTrace());
        return redacted;
    }

    @Override
    public String toString()
    {
        return "ConfigSecrets[" + values.size() + " value(s), not shown]";
    }
}
