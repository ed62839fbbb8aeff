package dev.roundtrip.internal.wire;

import dev.roundtrip.error.HttpProtocolException;

/**
 * BodyFraming is how a response body is delimited and whether the connection may carry another
 * exchange afterwards, decided from the request method and the response head (RFC 9112 §6.3,
 * reference §7.3).
 *
 * @param kind           how the body is delimited
 * @param length         the body length for {@link Kind#FIXED}; otherwise 0 or -1
 * @param contentLength  what {@code Response.contentLength()} reports: the announced length (for
 *                       HEAD and 304 too), or -1 when unknown
 * @param keepAlive      false when the connection must be closed after this response
 *                       ({@code Connection: close}, HTTP/1.0 without keep-alive, a body delimited
 *                       by close, or both {@code Transfer-Encoding} and {@code Content-Length})
 * @param dropContentLength true when {@code Content-Length} must be removed from the headers
 *                       because chunked framing overrides it
 * @param keepAliveTimeoutSeconds the server's {@code Keep-Alive: timeout=} hint, or -1
 */
public record BodyFraming(Kind kind, long length, long contentLength, boolean keepAlive,
                          boolean dropContentLength, long keepAliveTimeoutSeconds) {

    /** How a body is delimited. */
    public enum Kind {
        /** No body: HEAD, 1xx, 204, 304, or {@code Content-Length: 0}. */
        NONE,
        /** Exactly {@code length} bytes. */
        FIXED,
        /** Chunked transfer coding, with optional trailers. */
        CHUNKED,
        /** Everything until the server closes the connection. */
        UNTIL_CLOSE
    }

    /** Decides the framing of a response to a request with the given method. */
    public static BodyFraming of(String requestMethod, ResponseHead head) throws HttpProtocolException {
        boolean http10 = head.minor() == 0;
        boolean chunked = false;
        String te = null;
        // Each Connection field is checked on its own: joining them would copy the head once per
        // field, quadratic in a head of many short Connection lines (issue 11).
        boolean saysClose = false;
        boolean saysKeepAlive = false;
        String keepAliveHeader = null;
        String cl = null;
        boolean clDiffers = false;
        for (int i = 0; i < head.fieldCount(); i++) {
            String name = head.fields()[2 * i];
            String value = head.fields()[2 * i + 1];
            if (name.equalsIgnoreCase("Content-Length")) {
                for (String part : value.split(",", -1)) {
                    String p = part.trim();
                    if (cl == null) {
                        cl = p;
                    } else if (!cl.equals(p)) {
                        clDiffers = true;
                    }
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (te != null) {
                    throw new HttpProtocolException("too many transfer encodings: " + Tokens.quote(te)
                            + " and " + Tokens.quote(value));
                }
                te = value;
            } else if (name.equalsIgnoreCase("Connection")) {
                saysClose |= Tokens.listContains(value, "close");
                saysKeepAlive |= Tokens.listContains(value, "keep-alive");
            } else if (name.equalsIgnoreCase("Keep-Alive")) {
                keepAliveHeader = value;
            }
        }
        if (te != null && !http10) {
            if (!te.trim().equalsIgnoreCase("chunked")) {
                throw new HttpProtocolException("unsupported transfer encoding " + Tokens.quote(te));
            }
            chunked = true;
        }
        boolean keepAlive = http10 ? saysKeepAlive && !saysClose : !saysClose;
        boolean dropCl = false;
        long announced = -1;
        if (chunked && cl != null) {
            // RFC 9112 §6.3 item 3: chunked wins, and the connection is not reused (smuggling).
            dropCl = true;
            keepAlive = false;
            cl = null;
        }
        if (cl != null) {
            if (clDiffers) {
                throw new HttpProtocolException("message cannot contain multiple differing Content-Length values");
            }
            announced = parseContentLength(cl);
        }
        long hint = keepAliveTimeout(keepAliveHeader);
        int status = head.status();
        if (requestMethod.equals("HEAD")) {
            return new BodyFraming(Kind.NONE, 0, announced, keepAlive, dropCl, hint);
        }
        if ((status >= 100 && status < 200) || status == 204 || status == 304) {
            return new BodyFraming(Kind.NONE, 0, status == 304 ? announced : 0, keepAlive, dropCl, hint);
        }
        if (chunked) {
            return new BodyFraming(Kind.CHUNKED, -1, -1, keepAlive, dropCl, hint);
        }
        if (announced == 0) {
            return new BodyFraming(Kind.NONE, 0, 0, keepAlive, false, hint);
        }
        if (announced > 0) {
            return new BodyFraming(Kind.FIXED, announced, announced, keepAlive, false, hint);
        }
        return new BodyFraming(Kind.UNTIL_CLOSE, -1, -1, false, false, hint);
    }

    /** Parses a Content-Length value: digits only, no sign, no overflow (Go #39017). */
    static long parseContentLength(String v) throws HttpProtocolException {
        if (v.isEmpty() || v.length() > 18) {
            throw new HttpProtocolException("bad Content-Length " + Tokens.quote(v));
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpProtocolException("bad Content-Length " + Tokens.quote(v));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Returns the {@code timeout=} parameter of a Keep-Alive header in seconds, or -1. */
    static long keepAliveTimeout(String header) {
        if (header == null) {
            return -1;
        }
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                String v = p.substring(8).trim();
                try {
                    long n = Long.parseLong(v);
                    return n >= 0 ? n : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
