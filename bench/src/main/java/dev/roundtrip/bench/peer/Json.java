package dev.roundtrip.bench.peer;

import java.util.Map;

/**
 * Json writes the flat, one-line JSON objects the benchmark JVMs print (values are strings or
 * numbers; {@code dev.roundtrip.bench.run.FlatJson} reads them back).
 */
public final class Json {
    private Json() {
    }

    /** Returns {@code fields} as one line of JSON, in the map's order; NaN and infinities become -1. */
    public static String object(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof String) {
                sb.append('"').append(escape((String) v)).append('"');
            } else if (v instanceof Double && (((Double) v).isNaN() || ((Double) v).isInfinite())) {
                sb.append(-1);
            } else {
                sb.append(v);
            }
        }
        return sb.append('}').toString();
    }

    /** Returns {@code v} rounded to {@code digits} decimals (a whole number for 0); NaN and infinities as -1. */
    public static Object round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return -1;
        }
        if (digits == 0) {
            return Math.round(v);
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(' ');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
