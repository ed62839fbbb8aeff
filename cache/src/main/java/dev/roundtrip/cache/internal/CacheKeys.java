package dev.roundtrip.cache.internal;

import dev.roundtrip.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * CacheKeys makes the keys entries are stored under (RFC 9111 section 4.1 and 2): the primary key
 * is the method and the normalized target URI; a response with {@code Vary} is stored under a
 * secondary key that adds its marker's nonce and the values of the request fields it varies on.
 */
public final class CacheKeys {
    /** SELECTION_DIGEST_BYTES is how much of the SHA-256 of a selection a secondary key holds (hex: twice as many characters). */
    private static final int SELECTION_DIGEST_BYTES = 16;
    /** The request fields (lower case) whose values are kept in selections as a digest only. */
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("authorization", "proxy-authorization", "cookie");

    private CacheKeys() {
    }

    /**
     * Returns the primary key, e.g. {@code GET http://example.com/a?b}: scheme and host in lower
     * case, the default port dropped, no user information, no fragment, an empty path as {@code /}.
     */
    public static String primary(String method, URI uri) {
        return method + " " + normalize(uri);
    }

    /** Returns {@code uri} normalized as in {@link #primary}. */
    public static String normalize(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String auth = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        auth = auth.substring(auth.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && auth.endsWith(":80")) {
            auth = auth.substring(0, auth.length() - 3);
        } else if (scheme.equals("https") && auth.endsWith(":443")) {
            auth = auth.substring(0, auth.length() - 4);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return scheme + "://" + auth + path + (query != null ? "?" + query : "");
    }

    /** Returns true if two URIs have the same origin (scheme, host, port). */
    public static boolean sameOrigin(URI a, URI b) {
        String na = normalize(a);
        String nb = normalize(b);
        return origin(na).equals(origin(nb));
    }

    private static String origin(String normalized) {
        int slash = normalized.indexOf('/', normalized.indexOf("://") + 3);
        return slash < 0 ? normalized : normalized.substring(0, slash);
    }

    /**
     * Returns the field names of the response's {@code Vary} fields, lower case, sorted, without
     * duplicates; {@code ["*"]} when one of them is {@code *}; empty when it has none.
     */
    public static List<String> varyNames(Headers response) {
        TreeSet<String> names = new TreeSet<>();
        for (String v : response.all("Vary")) {
            for (String n : v.split(",")) {
                String t = n.trim().toLowerCase(Locale.ROOT);
                if (t.equals("*")) {
                    return List.of("*");
                }
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * Returns the request's values of {@code names} as {@code {name, value}} pairs, value null
     * when absent: several field lines are combined with commas and whitespace around list
     * elements is dropped (the normalization 4.1 allows). The value of a credential field
     * ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}) is replaced by its
     * SHA-256, so a response that varies on one never writes the credential itself to a store.
     */
    public static List<String[]> selecting(List<String> names, Headers request) {
        List<String[]> out = new ArrayList<>(names.size());
        for (String n : names) {
            List<String> vs = request.all(n);
            if (vs.isEmpty()) {
                out.add(new String[] {n, null});
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (String v : vs) {
                for (String part : v.split(",")) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(part.trim());
                }
            }
            String v = b.toString();
            out.add(new String[] {n, CREDENTIAL_FIELDS.contains(n) ? "sha256:" + sha256Hex(v) : v});
        }
        return out;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Returns true if two selections hold the same names and values. */
    public static boolean sameSelection(List<String[]> a, List<String[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i)[0].equalsIgnoreCase(b.get(i)[0]) || !java.util.Objects.equals(a.get(i)[1], b.get(i)[1])) {
                return false;
            }
        }
        return true;
    }

    /** Returns the secondary key of a variant: the primary key, the marker's nonce and a digest of the selection. */
    public static String variant(String primary, String nonce, List<String[]> selecting) {
        StringBuilder b = new StringBuilder();
        for (String[] s : selecting) {
            b.append(s[0]).append('\u0000').append(s[1] == null ? "\u0001" : s[1]).append('\u0000');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return primary + " #" + nonce + ' ' + HexFormat.of().formatHex(d, 0, SELECTION_DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
