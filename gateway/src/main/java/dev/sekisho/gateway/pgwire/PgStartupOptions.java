package dev.sekisho.gateway.pgwire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the startup message's {@code options} parameter, where libpq's PGOPTIONS and pgjdbc's {@code options} put settings. */
final class PgStartupOptions
{
    private PgStartupOptions() {}

    /** The {@code -c name=value} and {@code --name=value} settings of the startup {@code options} parameter. */
    static Map<String, String> parse(String options)
    {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                word.append(options.charAt(++i));
            }
            else if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            }
            else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String setting = null;
            if (words.get(i).equals("-c") && i + 1 < words.size()) {
                setting = words.get(++i);
            }
            else if (words.get(i).startsWith("-c")) {
                setting = words.get(i).substring(2);
            }
            else if (words.get(i).startsWith("--")) {
                setting = words.get(i).substring(2);
            }
            int equals = setting == null ? -1 : setting.indexOf('=');
            if (equals > 0) {
                settings.put(setting.substring(0, equals).replace('-', '_'), setting.substring(equals + 1));
            }
        }
        return settings;
    }
}
