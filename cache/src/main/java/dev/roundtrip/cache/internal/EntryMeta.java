package dev.roundtrip.cache.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * EntryMeta is the metadata of one stored entry, kept by a store next to the entry's body: a few
 * lines of cache bookkeeping, an empty line, then the raw HTTP/1.1 response head (status line,
 * header fields, empty line), so that head plus body are an HTTP message that
 * {@code Wire.readResponse} reads back.
 *
 * <p>The head is always written in the HTTP/1.1 form, whatever protocol the response came over
 * ({@code Wire.readResponse} reads HTTP/1.x only); the {@code protocol} line keeps the protocol
 * the response really came over ({@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}). Metadata
 * written before that line existed has none: {@link #protocol()} is then null and the head's
 * status line holds the protocol. Readers ignore lines they do not know, so an older version reads
 * newer metadata (and reports {@code HTTP/1.1} for an HTTP/2 response).
 *
 * <p>Two kinds: a {@link Kind#RESPONSE} (a stored response, with the request header values it was
 * selected with when it has {@code Vary}), and a {@link Kind#VARY} marker stored under a primary
 * key whose responses vary: it names the {@code Vary} fields and a random nonce that is part of
 * every variant's key, so removing the marker makes every variant unreachable at once.
 *
 * <p>Text is ISO-8859-1, like header fields on the wire; values never hold CR or LF (core's
 * {@code Headers} rejects them).
 */
public final class EntryMeta {
    private static final String MAGIC = "RTCACHE 1";
    /** The protocols a {@code protocol} line may name: those {@code Response.protocol()} returns. */
    private static final Set<String> PROTOCOLS = Set.of("HTTP/1.0", "HTTP/1.1", "HTTP/2.0");

    /** What an entry is. */
    public enum Kind {
        /** A stored response. */
        RESPONSE,
        /** A marker for responses that vary; see the class comment. */
        VARY
    }

    private final String key;
    private final Kind kind;
    private final String method;
    private final long requestTime;
    private final long responseTime;
    private final List<String[]> selecting;
    private final List<String> varyNames;
    private final String nonce;
    private final String protocol;
    private final byte[] head;

    private EntryMeta(String key, Kind kind, String method, long requestTime, long responseTime,
                      List<String[]> selecting, List<String> varyNames, String nonce, String protocol, byte[] head) {
        this.key = key;
        this.kind = kind;
        this.method = method;
        this.requestTime = requestTime;
        this.responseTime = responseTime;
        this.selecting = selecting;
        this.varyNames = varyNames;
        this.nonce = nonce;
        this.protocol = protocol;
        this.head = head;
    }

    /**
     * Returns the metadata of a stored response.
     *
     * @param selecting the {@code {name, value}} pairs of the request fields named by {@code Vary}
     *                  (value null when absent); empty when the response does not vary
     * @param protocol  the protocol the response came over: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}
     * @param head      the HTTP/1.1 response head bytes
     * @throws IllegalArgumentException if {@code protocol} is not one of those
     */
    public static EntryMeta response(String key, String method, long requestTime, long responseTime,
                                     List<String[]> selecting, String protocol, byte[] head) {
        return new EntryMeta(key, Kind.RESPONSE, method, requestTime, responseTime, List.copyOf(selecting), List.of(),
                "", checkProtocol(protocol), head.clone());
    }

    private static String checkProtocol(String protocol) {
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol must be HTTP/1.0, HTTP/1.1 or HTTP/2.0, not " + protocol);
        }
        return protocol;
    }

    /** Returns a {@code Vary} marker naming {@code varyNames} (lower case, sorted) with {@code nonce}. */
    public static EntryMeta varyMarker(String key, List<String> varyNames, String nonce) {
        return new EntryMeta(key, Kind.VARY, "", 0, 0, List.of(), List.copyOf(varyNames), nonce, null, new byte[0]);
    }

    /**
     * Returns a copy with another head, protocol and exchange times (after a 304 freshened it: the
     * protocol is then the one the 304 came over).
     *
     * @throws IllegalArgumentException if {@code newProtocol} is not one {@link #response} accepts
     */
    public EntryMeta withHead(byte[] newHead, String newProtocol, long newRequestTime, long newResponseTime) {
        return new EntryMeta(key, kind, method, newRequestTime, newResponseTime, selecting, varyNames, nonce,
                checkProtocol(newProtocol), newHead.clone());
    }

    /** Returns the store key the entry was written under. */
    public String key() { return key; }

    /** Returns the kind. */
    public Kind kind() { return kind; }

    /** Returns the method of the request the response answered ({@code GET} or {@code HEAD}). */
    public String method() { return method; }

    /** Returns when the request was sent (epoch ms). */
    public long requestTime() { return requestTime; }

    /** Returns when the response head was received (epoch ms). */
    public long responseTime() { return responseTime; }

    /** Returns the selecting request fields ({@code {name, value-or-null}}). */
    public List<String[]> selecting() { return selecting; }

    /** Returns the {@code Vary} names of a marker. */
    public List<String> varyNames() { return varyNames; }

    /** Returns the nonce of a marker. */
    public String nonce() { return nonce; }

    /**
     * Returns the protocol the response came over ({@code HTTP/1.0}, {@code HTTP/1.1} or
     * {@code HTTP/2.0}), or null for a marker and for metadata written before this line existed
     * (the head's status line then names it).
     */
    public String protocol() { return protocol; }

    /** Returns the HTTP head bytes (empty for a marker). */
    public byte[] head() { return head.clone(); }

    /** Returns the encoded form. */
    public byte[] encode() {
        StringBuilder b = new StringBuilder(256);
        b.append(MAGIC).append('\n');
        b.append("key: ").append(key).append('\n');
        b.append("kind: ").append(kind == Kind.RESPONSE ? "response" : "vary").append('\n');
        if (kind == Kind.RESPONSE) {
            b.append("method: ").append(method).append('\n');
            b.append("request-time: ").append(requestTime).append('\n');
            b.append("response-time: ").append(responseTime).append('\n');
            if (protocol != null) {
                b.append("protocol: ").append(protocol).append('\n');
            }
            for (String[] s : selecting) {
                if (s[1] == null) {
                    b.append("select-absent: ").append(s[0]).append('\n');
                } else {
                    b.append("select: ").append(s[0]).append(": ").append(s[1]).append('\n');
                }
            }
        } else {
            b.append("vary: ").append(String.join(",", varyNames)).append('\n');
            b.append("nonce: ").append(nonce).append('\n');
        }
        b.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length() + head.length);
        out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(head);
        return out.toByteArray();
    }

    /**
     * Decodes what {@link #encode()} wrote.
     *
     * @throws IOException if {@code bytes} are not entry metadata
     */
    public static EntryMeta decode(byte[] bytes) throws IOException {
        int pos = 0;
        String key = null;
        String kind = null;
        String method = "GET";
        String nonce = "";
        String protocol = null;
        long requestTime = 0;
        long responseTime = 0;
        List<String[]> selecting = new ArrayList<>();
        List<String> vary = List.of();
        boolean first = true;
        while (true) {
            int nl = indexOf(bytes, (byte) '\n', pos);
            if (nl < 0) {
                throw new IOException("corrupt cache entry metadata: no end of the bookkeeping lines");
            }
            String line = new String(bytes, pos, nl - pos, StandardCharsets.ISO_8859_1);
            pos = nl + 1;
            if (first) {
                if (!line.equals(MAGIC)) {
                    throw new IOException("not roundtrip cache metadata (first line " + line + ")");
                }
                first = false;
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IOException("corrupt cache entry metadata line: " + line);
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 2);
            try {
                switch (name) {
                    case "key": key = value; break;
                    case "kind": kind = value; break;
                    case "method": method = value; break;
                    case "request-time": requestTime = Long.parseLong(value); break;
                    case "response-time": responseTime = Long.parseLong(value); break;
                    case "nonce": nonce = value; break;
                    case "protocol":
                        if (!PROTOCOLS.contains(value)) {
                            throw new IOException("corrupt cache entry metadata: unknown protocol " + value);
                        }
                        protocol = value;
                        break;
                    case "vary": vary = value.isEmpty() ? List.of() : List.of(value.split(",")); break;
                    case "select-absent": selecting.add(new String[] {value, null}); break;
                    case "select": {
                        int c = value.indexOf(": ");
                        if (c < 0) {
                            throw new IOException("corrupt cache entry select line: " + line);
                        }
                        selecting.add(new String[] {value.substring(0, c), value.substring(c + 2)});
                        break;
                    }
                    default: break; // a later version's line: ignored
                }
            } catch (NumberFormatException e) {
                throw new IOException("corrupt cache entry metadata line: " + line, e);
            }
        }
        if (key == null || kind == null) {
            throw new IOException("corrupt cache entry metadata: no key or kind");
        }
        byte[] head = Arrays.copyOfRange(bytes, pos, bytes.length);
        if (kind.equals("vary")) {
            return varyMarker(key, vary, nonce);
        }
        if (!kind.equals("response")) {
            throw new IOException("corrupt cache entry metadata: unknown kind " + kind);
        }
        return new EntryMeta(key, Kind.RESPONSE, method, requestTime, responseTime, List.copyOf(selecting), List.of(),
                "", protocol, head);
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
