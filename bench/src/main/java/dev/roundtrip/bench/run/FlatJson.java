package dev.roundtrip.bench.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FlatJson reads the one-level JSON objects that {@code PeerMain} prints (strings and numbers only). */
final class FlatJson {
    private static final Pattern FIELD = Pattern.compile(
            "\"([^\"]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]++|\\\\.)*+)\"|(-?[0-9.eE+-]+))"); // possessive: no recursion on long strings

    private FlatJson() {
    }

    /** Returns the fields of {@code json}, values as strings. */
    static Map<String, String> parse(String json) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = FIELD.matcher(json);
        while (x.find()) {
            String v = x.group(2) != null ? x.group(2).replace("\\\"", "\"").replace("\\\\", "\\") : x.group(3);
            m.put(x.group(1), v);
        }
        return m;
    }
}
