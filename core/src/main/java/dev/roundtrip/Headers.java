package dev.roundtrip;

import dev.roundtrip.internal.wire.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headers is an immutable list of header fields: names compare case-insensitively, a name may
 * occur several times, and fields keep the order in which they were added (or received).
 *
 * <p>Fields built through {@link Builder} are validated when added: a name must be an RFC 9110
 * token and a value may not contain CR, LF, NUL or other control characters (except tab), so an
 * invalid field is rejected before any byte is sent. {@link #toString()} shows the values of
 * credential fields ({@link #isSensitive(String)}) as {@code ***}.
 */
public final class Headers {
    private static final Headers EMPTY = new Headers(new String[0], 0);

    private final String[] nv; // name, value, name, value ...
    private final int count;

    Headers(String[] namesAndValues, int count) {
        this.nv = namesAndValues;
        this.count = count;
    }

    /** Returns headers with no fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Returns headers made of alternating names and values, validated.
     *
     * @throws IllegalArgumentException for an odd count, an invalid name or an invalid value
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Headers.of needs name/value pairs, got " + namesAndValues.length
                    + " strings");
        }
        Builder b = new Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    /** Returns a builder with no fields. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder starting with these fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.nv = Arrays.copyOf(nv, Math.max(8, count * 2 + 4));
        b.count = count;
        return b;
    }

    /** Returns the number of fields. */
    public int size() {
        return count;
    }

    /** Returns the name of field {@code i} as it was added or received. */
    public String name(int i) {
        checkIndex(i);
        return nv[2 * i];
    }

    /** Returns the value of field {@code i}. */
    public String value(int i) {
        checkIndex(i);
        return nv[2 * i + 1];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("field " + i + " of " + count);
        }
    }

    /** Returns the first value of {@code name} (ignoring case), or null. */
    public String first(String name) {
        for (int i = 0; i < count; i++) {
            if (nv[2 * i].equalsIgnoreCase(name)) {
                return nv[2 * i + 1];
            }
        }
        return null;
    }

    /** Returns every value of {@code name} (ignoring case), in order; empty if none. */
    public List<String> all(String name) {
        List<String> out = null;
        for (int i = 0; i < count; i++) {
            if (nv[2 * i].equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(nv[2 * i + 1]);
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /** Returns true if a field named {@code name} (ignoring case) is present. */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** Returns the distinct names, in order of first appearance, each as first seen. */
    public List<String> names() {
        return List.copyOf(toMap().keySet());
    }

    /** Returns the fields as an ordered map from name (as first seen) to values. */
    public Map<String, List<String>> toMap() {
        Map<String, String> firstSeen = new LinkedHashMap<>();
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String raw = nv[2 * i];
            String name = firstSeen.computeIfAbsent(raw.toLowerCase(java.util.Locale.ROOT), k -> raw);
            m.computeIfAbsent(name, k -> new ArrayList<>(1)).add(nv[2 * i + 1]);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(m);
    }

    /** The raw name/value array (package use only; never exposed). */
    String[] raw() {
        return nv;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Headers)) {
            return false;
        }
        Headers h = (Headers) o;
        if (h.count != count) {
            return false;
        }
        for (int i = 0; i < 2 * count; i++) {
            if (!nv[i].equals(h.nv[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int r = 1;
        for (int i = 0; i < 2 * count; i++) {
            r = 31 * r + nv[i].hashCode();
        }
        return r;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                b.append(", ");
            }
            String n = nv[2 * i];
            b.append(n).append(": ").append(isSensitive(n) ? "***" : nv[2 * i + 1]);
        }
        return b.append('}').toString();
    }

    /**
     * Returns true if values of the field {@code name} are credentials that messages and logs must
     * not show (names compare ignoring case): {@code Authorization}, {@code Proxy-Authorization},
     * {@code Cookie}, {@code Set-Cookie}, {@code Ocp-Apim-Subscription-Key} (Azure API
     * Management), {@code X-Functions-Key} (Azure Functions), and every name containing
     * {@code token}, {@code secret}, {@code password}, {@code api-key} or {@code apikey}, which
     * covers {@code X-Api-Key} (AWS API Gateway and many others), {@code Api-Key} (Azure OpenAI),
     * {@code X-Goog-Api-Key}, {@code X-Auth-Token} (OpenStack), {@code X-Amz-Security-Token}
     * (AWS session credentials), {@code X-Vault-Token}, {@code Private-Token} (GitLab),
     * {@code X-Csrf-Token} and their like. Used by {@link #toString()}, the logging module and the
     * command line; the request itself is never changed.
     */
    public static boolean isSensitive(String name) {
        for (String n : SENSITIVE_NAMES) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String part : SENSITIVE_NAME_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** The credential field names {@link #isSensitive} matches whole. */
    private static final String[] SENSITIVE_NAMES = {"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
        "Ocp-Apim-Subscription-Key", "X-Functions-Key"};
    /** The parts (lower case) that make any field name containing one sensitive for {@link #isSensitive}. */
    private static final String[] SENSITIVE_NAME_PARTS = {"token", "secret", "password", "api-key", "apikey"};
    /** The empty field array a new {@link Builder} starts with. */
    private static final String[] NO_FIELDS = new String[0];

    /** Builder collects validated fields; not thread-safe. */
    public static final class Builder {
        /** Names and values in pairs; empty until the first field (many requests add none). */
        private String[] nv = NO_FIELDS;
        private int count;

        private Builder() {
        }

        /**
         * Adds a field after the existing ones.
         *
         * @throws IllegalArgumentException if the name is not a token or the value holds a
         *                                  forbidden character
         */
        public Builder add(String name, String value) {
            if (!Tokens.isToken(name)) {
                throw new IllegalArgumentException("invalid header name " + Tokens.quote(String.valueOf(name)));
            }
            if (value == null) {
                throw new IllegalArgumentException("null value for header " + name);
            }
            int bad = Tokens.invalidValueChar(value);
            if (bad >= 0) {
                throw new IllegalArgumentException("invalid character " + String.format("0x%02x", (int) value.charAt(bad))
                        + " at index " + bad + " in the value of header " + name);
            }
            if (2 * count + 2 > nv.length) {
                nv = Arrays.copyOf(nv, Math.max(16, nv.length * 2));
            }
            nv[2 * count] = name;
            nv[2 * count + 1] = value;
            count++;
            return this;
        }

        /** Returns the first value of {@code name} (ignoring case) added so far, or null. */
        String first(String name) {
            for (int i = 0; i < count; i++) {
                if (nv[2 * i].equalsIgnoreCase(name)) {
                    return nv[2 * i + 1];
                }
            }
            return null;
        }

        /** Replaces every field named {@code name} with one field. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /** Removes every field named {@code name} (ignoring case). */
        public Builder remove(String name) {
            int w = 0;
            for (int r = 0; r < count; r++) {
                if (!nv[2 * r].equalsIgnoreCase(name)) {
                    nv[2 * w] = nv[2 * r];
                    nv[2 * w + 1] = nv[2 * r + 1];
                    w++;
                }
            }
            Arrays.fill(nv, 2 * w, 2 * count, null);
            count = w;
            return this;
        }

        /** Returns the immutable headers. */
        public Headers build() {
            return count == 0 ? EMPTY : new Headers(Arrays.copyOf(nv, 2 * count), count);
        }
    }
}
