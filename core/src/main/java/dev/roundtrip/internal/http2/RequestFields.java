package dev.roundtrip.internal.http2;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.internal.wire.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RequestFields is a request head converted to the HTTP/2 field list (RFC 9113 §8.2, §8.3), made
 * by {@link #of}, the way Go's HTTP/2 transport does it (go-http2.md §4.1):
 * <ul>
 *   <li>pseudo-headers first, in Go's order: {@code :authority}, {@code :method}, {@code :path},
 *       {@code :scheme} ({@code CONNECT}: {@code :authority} and {@code :method} only, §8.5);
 *       then the caller's fields in their order, names lowercased (§8.2.1), values without
 *       leading or trailing whitespace; then {@code content-length};</li>
 *   <li>{@code Host} becomes {@code :authority} (§8.3.1) and is not sent as a field;</li>
 *   <li>connection-specific fields (§8.2.2) are never sent. As in Go, {@code Connection} is
 *       refused unless it is one field whose value is empty, {@code close} or
 *       {@code keep-alive}; {@code Transfer-Encoding} unless it is one field, empty or
 *       {@code chunked}; {@code Upgrade} unless every value is empty or {@code chunked} (Go's
 *       current rule, which a WebSocket or h2c upgrade fails); {@code Keep-Alive} and
 *       {@code Proxy-Connection} are dropped silently;</li>
 *   <li>{@code TE} is sent only as {@code te: trailers}, when the caller's value lists that
 *       token; any other TE value is dropped (§8.2.2 allows nothing else; TE is a hop-by-hop
 *       preference, so dropping it changes no meaning);</li>
 *   <li>{@code Content-Length} is computed from the body, never taken from the caller (as for
 *       HTTP/1.1 and in Go): sent for a positive length, and for an empty body of POST, PUT and
 *       PATCH. The stream then sends exactly {@link #contentLength()} octets or fails (§8.1.1: a
 *       mismatch makes the request malformed);</li>
 *   <li>{@code User-Agent}: the first value only, none if empty; {@code Cookie} is split into one
 *       field per cookie-pair (§8.2.3), which compresses better;</li>
 *   <li>{@code Expect: 100-continue} on a request with a body sets {@link #expectContinue()}.</li>
 * </ul>
 * What HTTP/2 cannot carry fails with {@link HttpProtocolException} naming the field (a value is
 * quoted only for the connection-specific fields, whose values are not secret); nothing is sent.
 *
 * @param fields         the field list for HEADERS, pseudo-headers first
 * @param contentLength  the body's exact length ({@code 0}: no body), or {@link #UNKNOWN_LENGTH}
 * @param expectContinue whether the body waits for {@code 100 (Continue)} (RFC 9110 §10.1.1)
 */
public record RequestFields(List<HeaderField> fields, long contentLength, boolean expectContinue) {
    /** Body length of a request without a body (the HTTP/1.1 writer's {@code NO_BODY}). */
    public static final long NO_BODY = -2;
    /** Body length of a body whose length is not known in advance. */
    public static final long UNKNOWN_LENGTH = -1;

    /** Returns whether HEADERS ends the stream: there is no body (trailers aside). */
    public boolean endStream() {
        return contentLength == 0;
    }

    /**
     * Converts a request head.
     *
     * @param method      the method, a token
     * @param scheme      {@code http} or {@code https}
     * @param authority   host[:port] of the target, used when no {@code Host} field is given
     * @param path        the origin-form target ({@code /path?query}), {@code *} for
     *                    {@code OPTIONS *}, or an absolute-form target of this scheme and
     *                    authority (its prefix is removed, as Go does); ignored for CONNECT
     * @param headers     the caller's fields as name/value pairs (index 2i, 2i+1)
     * @param headerCount how many pairs of {@code headers} are used
     * @param bodyLength  {@link #NO_BODY}, {@link #UNKNOWN_LENGTH}, or the exact length
     * @throws HttpProtocolException if HTTP/2 cannot carry the head (nothing was sent)
     */
    public static RequestFields of(String method, String scheme, String authority, String path, String[] headers,
                                   int headerCount, long bodyLength) throws HttpProtocolException {
        if (bodyLength < NO_BODY) {
            throw new IllegalArgumentException("body length must be NO_BODY, UNKNOWN_LENGTH or >= 0: " + bodyLength);
        }
        if (!Tokens.isToken(method)) {
            throw refused("invalid method " + Tokens.quote(String.valueOf(method)));
        }
        boolean connect = method.equals("CONNECT");
        String host = null;
        boolean expect = false;
        boolean teTrailers = false;
        boolean userAgentSeen = false;
        List<HeaderField> regular = new ArrayList<>(headerCount + 2);
        for (int i = 0; i < headerCount; i++) {
            String name = lowercase(checkedName(headers[2 * i]));
            String value = trimmed(name, headers[2 * i + 1]);
            switch (name) {
                case "host" -> {
                    if (host != null) {
                        throw refused("more than one Host field");
                    }
                    host = value;
                }
                case "content-length", "keep-alive", "proxy-connection" -> {
                    // computed from the body / connection-specific: never sent
                }
                case "connection" -> requireOneOf(headers, headerCount, name, value, "", "close", "keep-alive");
                case "transfer-encoding" -> requireOneOf(headers, headerCount, name, value, "", "chunked");
                case "upgrade" -> {
                    if (!value.isEmpty() && !value.equalsIgnoreCase("chunked")) {
                        throw refused("connection-specific field Upgrade: " + Tokens.quote(value)
                                + " (RFC 9113 §8.2.2; HTTP/2 has no protocol upgrade: send it over HTTP/1.1)");
                    }
                }
                case "te" -> teTrailers |= Tokens.listContains(value, "trailers");
                case "user-agent" -> {
                    if (!userAgentSeen && !value.isEmpty()) {
                        regular.add(new HeaderField(name, value));
                    }
                    userAgentSeen = true;
                }
                case "cookie" -> splitCookie(value, regular);
                default -> {
                    if (name.equals("expect") && Tokens.listContains(value, "100-continue")) {
                        expect = true;
                    }
                    regular.add(new HeaderField(name, value));
                }
            }
        }
        if (teTrailers) {
            regular.add(new HeaderField("te", "trailers"));
        }
        String auth = checkedAuthority(host != null ? host : authority);
        List<HeaderField> fields = new ArrayList<>(regular.size() + 5);
        fields.add(new HeaderField(":authority", auth));
        fields.add(new HeaderField(":method", method));
        if (!connect) {
            String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
            if (!s.equals("http") && !s.equals("https")) {
                throw refused("unsupported scheme " + Tokens.quote(String.valueOf(scheme)));
            }
            fields.add(new HeaderField(":path", checkedPath(method, s, auth, path)));
            fields.add(new HeaderField(":scheme", s));
        }
        fields.addAll(regular);
        if (bodyLength > 0 || bodyLength == 0 && (method.equals("POST") || method.equals("PUT")
                || method.equals("PATCH"))) { // Go's shouldSendReqContentLength, as the HTTP/1.1 writer
            fields.add(new HeaderField("content-length", Long.toString(bodyLength)));
        }
        long length = bodyLength == NO_BODY ? 0 : bodyLength;
        return new RequestFields(List.copyOf(fields), length, expect && length != 0);
    }

    /**
     * Converts request trailers: names lowercased, values trimmed; pseudo-headers, the fields
     * that frame or route a message ({@code Content-Length}, {@code Transfer-Encoding},
     * {@code Trailer}, {@code Host}) and connection-specific fields are refused (RFC 9110 §6.5.1,
     * RFC 9113 §8.1, §8.2.2).
     *
     * @throws HttpProtocolException naming the field HTTP/2 cannot carry
     */
    public static List<HeaderField> trailers(String[] fields, int count) throws HttpProtocolException {
        List<HeaderField> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = lowercase(checkedName(fields[2 * i]));
            switch (name) {
                case "content-length", "transfer-encoding", "trailer", "host", "connection", "keep-alive",
                        "proxy-connection", "upgrade", "te" -> throw refused("field " + fields[2 * i]
                        + " is not allowed in trailers (RFC 9110 §6.5.1, RFC 9113 §8.2.2)");
                default -> out.add(new HeaderField(name, trimmed(name, fields[2 * i + 1])));
            }
        }
        return List.copyOf(out);
    }

    private static String checkedName(String name) throws HttpProtocolException {
        if (name != null && name.startsWith(":")) {
            throw refused("field name " + Tokens.quote(name) + " is a pseudo-header: the method, scheme, authority"
                    + " and path set those");
        }
        if (!Tokens.isToken(name)) {
            throw refused("invalid field name " + Tokens.quote(String.valueOf(name)));
        }
        return name;
    }

    /** Checks a value (no CR, LF, NUL or other controls) and removes leading and trailing SP/HTAB (§8.2.1). */
    private static String trimmed(String name, String value) throws HttpProtocolException {
        if (value == null || Tokens.invalidValueChar(value) >= 0) {
            throw refused("invalid character in the value of field " + name);
        }
        int s = 0;
        int e = value.length();
        while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
            s++;
        }
        while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
            e--;
        }
        return value.substring(s, e);
    }

    /** Go's rule for Connection and Transfer-Encoding: one field at most, with one of {@code allowed}. */
    private static void requireOneOf(String[] headers, int count, String name, String value, String... allowed)
            throws HttpProtocolException {
        int fields = 0;
        for (int i = 0; i < count; i++) {
            if (headers[2 * i].equalsIgnoreCase(name)) {
                fields++;
            }
        }
        boolean ok = fields == 1;
        if (ok) {
            ok = false;
            for (String a : allowed) {
                ok |= value.equalsIgnoreCase(a);
            }
        }
        if (!ok) {
            throw refused("connection-specific field " + name + ": " + Tokens.quote(value)
                    + (fields > 1 ? " (" + fields + " fields)" : "") + " (RFC 9113 §8.2.2)");
        }
    }

    /** Adds one {@code cookie} field per non-empty cookie-pair of {@code value} (RFC 9113 §8.2.3). */
    private static void splitCookie(String value, List<HeaderField> out) {
        int i = 0;
        while (true) {
            int semi = value.indexOf(';', i);
            String crumb = value.substring(i, semi < 0 ? value.length() : semi).trim();
            if (!crumb.isEmpty()) {
                out.add(new HeaderField("cookie", crumb));
            }
            if (semi < 0) {
                return;
            }
            i = semi + 1;
        }
    }

    /** Checks {@code :authority}: host[:port], no userinfo (§8.3.1), no whitespace or controls. */
    private static String checkedAuthority(String a) throws HttpProtocolException {
        if (a == null || a.isEmpty()) {
            throw refused("no authority (Host)");
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0);
            if (!ok) {
                throw refused("invalid authority " + Tokens.quote(a) + (c == '@' ? ": userinfo is not allowed (RFC 9113"
                        + " §8.3.1)" : ""));
            }
        }
        return a;
    }

    /** Checks {@code :path} (§8.3.1): origin-form, or {@code *} for OPTIONS; an absolute-form prefix is removed. */
    private static String checkedPath(String method, String scheme, String authority, String path)
            throws HttpProtocolException {
        String p = path == null ? "" : path;
        String prefix = scheme + "://" + authority;
        if (!p.startsWith("/") && !p.equals("*") && p.regionMatches(true, 0, prefix, 0, prefix.length())) {
            p = p.substring(prefix.length());
            if (p.isEmpty() || p.startsWith("?")) {
                p = "/" + p;
            }
        }
        boolean valid = p.startsWith("/") || (p.equals("*") && method.equals("OPTIONS"));
        if (!valid || Tokens.invalidTargetChar(p) >= 0) {
            throw refused("invalid request :path " + Tokens.quote(p));
        }
        return p;
    }

    private static String lowercase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    private static HttpProtocolException refused(String what) {
        return new HttpProtocolException("cannot send the request over HTTP/2: " + what);
    }
}
