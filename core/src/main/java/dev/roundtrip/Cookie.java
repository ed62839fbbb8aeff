package dev.roundtrip;

import dev.roundtrip.internal.wire.Tokens;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cookie is one immutable HTTP cookie (RFC 6265): a name, a value, and the attributes a
 * {@code Set-Cookie} field gave it, as given. It applies no storage rules: an absent
 * {@code Domain} or {@code Path} stays null, and {@code Max-Age} and {@code Expires} are both
 * kept; a {@link CookieJar} resolves them against the request (Max-Age wins over Expires).
 *
 * <p>{@link #parse(String)} follows the lenient parsing algorithm of RFC 6265 §5.2, with two
 * RFC 6265bis additions: a cookie whose name or value holds a control character (tab excepted)
 * or a character beyond ISO-8859-1 is ignored, as is one whose name and value exceed 4096
 * characters together; an attribute value over 1024 characters is ignored.
 *
 * <p>{@link #toString()} shows the name and attributes but never the value ({@code sid=***}):
 * cookie values are credentials.
 */
public final class Cookie {
    private static final int MAX_NAME_VALUE_LENGTH = 4096; // RFC 6265bis §5.6
    private static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024; // RFC 6265bis §5.6
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private final String name;
    private final String value;
    private final String domain;
    private final String path;
    private final Instant expires;
    private final Long maxAge;
    private final boolean secure;
    private final boolean httpOnly;
    private final String sameSite;

    private Cookie(String name, String value, String domain, String path, Instant expires, Long maxAge,
            boolean secure, boolean httpOnly, String sameSite) {
        this.name = name;
        this.value = value;
        this.domain = domain;
        this.path = path;
        this.expires = expires;
        this.maxAge = maxAge;
        this.secure = secure;
        this.httpOnly = httpOnly;
        this.sameSite = sameSite;
    }

    /**
     * Returns a cookie with no attributes. The name and value must survive a round trip through
     * a {@code Cookie} header and {@link #parse(String)}: the name is non-empty and holds no
     * {@code =}, neither holds {@code ;}, a control character (tab excepted) or a character
     * beyond ISO-8859-1, and neither starts or ends with a space or tab. Quotes are part of the
     * value.
     *
     * @throws IllegalArgumentException if the name or value breaks these rules
     */
    public static Cookie of(String name, String value) {
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || !sendable(name)) {
            throw new IllegalArgumentException("invalid cookie name " + Tokens.quote(String.valueOf(name)));
        }
        if (value == null || !sendable(value)) {
            throw new IllegalArgumentException("invalid value for cookie " + name + " (the value is not shown)");
        }
        return new Cookie(name, value, null, null, null, null, false, false, null);
    }

    private static boolean sendable(String s) {
        return s.indexOf(';') < 0 && Tokens.invalidValueChar(s) < 0 && s.equals(trimWsp(s, 0, s.length()));
    }

    /** Returns the name. */
    public String name() {
        return name;
    }

    /** Returns the value, quotes included if the server sent them. */
    public String value() {
        return value;
    }

    /** Returns the {@code Domain} attribute, lower-cased without a leading dot, or null if absent. */
    public String domain() {
        return domain;
    }

    /** Returns the {@code Path} attribute, or null if absent or not starting with {@code /}. */
    public String path() {
        return path;
    }

    /** Returns the {@code Expires} attribute, or null if absent or not a date. */
    public Instant expires() {
        return expires;
    }

    /** Returns the {@code Max-Age} attribute in seconds (zero or less: expired), or null if absent. */
    public Long maxAge() {
        return maxAge;
    }

    /** Returns true if the {@code Secure} attribute is present: send only over https. */
    public boolean secure() {
        return secure;
    }

    /** Returns true if the {@code HttpOnly} attribute is present. */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** Returns the {@code SameSite} attribute as {@code Strict}, {@code Lax} or {@code None}, or null. */
    public String sameSite() {
        return sameSite;
    }

    /**
     * Returns a copy with this {@code Domain} (a leading dot removed, lower-cased), or without one
     * if null.
     *
     * @throws IllegalArgumentException if the domain is empty or holds {@code ;} or a control
     *                                  character
     */
    public Cookie withDomain(String domain) {
        String d = domain;
        if (d != null) {
            d = (d.startsWith(".") ? d.substring(1) : d).toLowerCase(Locale.ROOT);
            if (d.isEmpty() || !sendable(d)) {
                throw new IllegalArgumentException("invalid cookie domain " + Tokens.quote(domain));
            }
        }
        return new Cookie(name, value, d, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /**
     * Returns a copy with this {@code Path}, or without one if null.
     *
     * @throws IllegalArgumentException if the path does not start with {@code /} or holds
     *                                  {@code ;} or a control character
     */
    public Cookie withPath(String path) {
        if (path != null && (!path.startsWith("/") || !sendable(path))) {
            throw new IllegalArgumentException("invalid cookie path " + Tokens.quote(path)
                    + ": it must start with / and hold no ; or control character");
        }
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /** Returns a copy with this {@code Expires} instant, or without one if null. */
    public Cookie withExpires(Instant expires) {
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /** Returns a copy with this {@code Max-Age} in seconds, or without one if null. */
    public Cookie withMaxAge(Long maxAge) {
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /** Returns a copy with the {@code Secure} flag set or cleared. */
    public Cookie withSecure(boolean secure) {
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /** Returns a copy with the {@code HttpOnly} flag set or cleared. */
    public Cookie withHttpOnly(boolean httpOnly) {
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /**
     * Returns a copy with this {@code SameSite} value (any case, normalized to {@code Strict},
     * {@code Lax} or {@code None}), or without one if null.
     *
     * @throws IllegalArgumentException for any other value
     */
    public Cookie withSameSite(String sameSite) {
        String s = sameSite == null ? null : sameSiteValue(sameSite);
        if (sameSite != null && s == null) {
            throw new IllegalArgumentException("invalid SameSite " + Tokens.quote(sameSite)
                    + ": use Strict, Lax or None");
        }
        return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, s);
    }

    /** Returns a copy as a jar stores it, unvalidated: these attributes and no {@code Max-Age}. */
    Cookie withEffectiveAttributes(String domain, String path, Instant expires) {
        return new Cookie(name, value, domain, path, expires, null, secure, httpOnly, sameSite);
    }

    private static String sameSiteValue(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("strict") ? "Strict" : s.equals("lax") ? "Lax" : s.equals("none") ? "None" : null;
    }

    /**
     * Returns the cookie in a {@code Set-Cookie} field value, or null if RFC 6265 §5.2 says to
     * ignore it: no {@code =} in the name-value pair, an empty name, or (RFC 6265bis) a control
     * character in the name or value, or a name and value over 4096 characters together.
     * Attribute names are case-insensitive; unknown attributes, an empty {@code Domain}, an
     * {@code Expires} that is not a date and a {@code Max-Age} that is not an optionally negative
     * integer are ignored; a {@code Path} not starting with {@code /} resets the path to absent
     * (the jar's default path). When an attribute repeats, the last valid one wins.
     *
     * @throws IllegalArgumentException if the value is null
     */
    public static Cookie parse(String setCookieHeaderValue) {
        String s = setCookieHeaderValue;
        if (s == null) {
            throw new IllegalArgumentException("null Set-Cookie value");
        }
        int semi = s.indexOf(';');
        int pairEnd = semi < 0 ? s.length() : semi;
        int eq = s.indexOf('=');
        if (eq < 0 || eq > pairEnd) {
            return null;
        }
        String name = trimWsp(s, 0, eq);
        String value = trimWsp(s, eq + 1, pairEnd);
        if (name.isEmpty() || Tokens.invalidValueChar(name) >= 0 || Tokens.invalidValueChar(value) >= 0
                || name.length() + value.length() > MAX_NAME_VALUE_LENGTH) {
            return null;
        }
        Cookie c = new Cookie(name, value, null, null, null, null, false, false, null);
        int i = pairEnd;
        while (i < s.length()) {
            int end = s.indexOf(';', i + 1);
            end = end < 0 ? s.length() : end;
            int aeq = i + 1;
            while (aeq < end && s.charAt(aeq) != '=') {
                aeq++; // bounded by this attribute: a long field of many ';' stays linear
            }
            boolean hasValue = aeq < end;
            String an = trimWsp(s, i + 1, hasValue ? aeq : end);
            String av = hasValue ? trimWsp(s, aeq + 1, end) : "";
            if (av.length() <= MAX_ATTRIBUTE_VALUE_LENGTH) {
                c = c.withAttribute(an, av);
            }
            i = end;
        }
        return c;
    }

    private Cookie withAttribute(String an, String av) {
        switch (an.toLowerCase(Locale.ROOT)) {
            case "expires":
                Instant t = parseDate(av);
                return t == null ? this : new Cookie(name, value, domain, path, t, maxAge, secure, httpOnly, sameSite);
            case "max-age":
                Long m = parseMaxAge(av);
                return m == null ? this : new Cookie(name, value, domain, path, expires, m, secure, httpOnly, sameSite);
            case "domain":
                if (av.isEmpty()) {
                    return this; // RFC 6265 §5.2.3: SHOULD ignore the cookie-av entirely
                }
                String d = (av.charAt(0) == '.' ? av.substring(1) : av).toLowerCase(Locale.ROOT);
                d = d.isEmpty() ? null : d; // "Domain=." is as if absent: a host-only cookie
                return new Cookie(name, value, d, path, expires, maxAge, secure, httpOnly, sameSite);
            case "path":
                String p = av.startsWith("/") ? av : null; // §5.2.4: else the default path
                return new Cookie(name, value, domain, p, expires, maxAge, secure, httpOnly, sameSite);
            case "secure":
                return new Cookie(name, value, domain, path, expires, maxAge, true, httpOnly, sameSite);
            case "httponly":
                return new Cookie(name, value, domain, path, expires, maxAge, secure, true, sameSite);
            case "samesite":
                return new Cookie(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSiteValue(av));
            default:
                return this;
        }
    }

    /** RFC 6265 §5.2.2: a DIGIT or "-" first, DIGITs after; saturates instead of overflowing. */
    private static Long parseMaxAge(String v) {
        boolean negative = v.startsWith("-");
        int start = negative ? 1 : 0;
        if (v.length() == start) {
            return null;
        }
        long n = 0;
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return negative ? -n : n;
    }

    /**
     * Returns the instant of a cookie date (RFC 6265 §5.1.1), or null if it is not one. Lenient:
     * tokens are split at delimiters and the first time, day of month, month and year found are
     * used, so RFC 1123, RFC 850 and asctime dates all parse; a year of 70 to 99 means 19xx and
     * one of 0 to 69 means 20xx; the zone is always UTC.
     */
    static Instant parseDate(String s) {
        int hour = -1, minute = -1, second = -1, day = -1, month = -1, year = -1;
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isDelimiter(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && !isDelimiter(s.charAt(i))) {
                i++;
            }
            String t = s.substring(start, i);
            int e1 = digitRun(t, 0, 2);
            int e2 = e1 > 0 && e1 < t.length() && t.charAt(e1) == ':' ? digitRun(t, e1 + 1, 2) : -1;
            int e3 = e2 > 0 && e2 < t.length() && t.charAt(e2) == ':' ? digitRun(t, e2 + 1, 2) : -1;
            int m = t.length() >= 3 ? MONTHS.indexOf(t.substring(0, 3).toLowerCase(Locale.ROOT)) : -1;
            if (hour < 0 && e3 > 0) {
                hour = Integer.parseInt(t.substring(0, e1));
                minute = Integer.parseInt(t.substring(e1 + 1, e2));
                second = Integer.parseInt(t.substring(e2 + 1, e3));
            } else if (day < 0 && e1 > 0) {
                day = Integer.parseInt(t.substring(0, e1));
            } else if (month < 0 && m >= 0 && m % 3 == 0) {
                month = m / 3 + 1;
            } else if (year < 0 && digitRun(t, 0, 4) >= 2) {
                year = Integer.parseInt(t.substring(0, digitRun(t, 0, 4)));
            }
        }
        year += year >= 70 && year <= 99 ? 1900 : year >= 0 && year <= 69 ? 2000 : 0;
        if (hour < 0 || day < 1 || day > 31 || month < 0 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // no such date, e.g. 31 Feb
        }
    }

    /** Returns the end of the maximal run of digits at {@code from} if it is 1 to {@code max} long, else -1. */
    private static int digitRun(String t, int from, int max) {
        int i = from;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        return i > from && i - from <= max ? i : -1;
    }

    private static boolean isDelimiter(char c) {
        return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) || (c >= 0x5b && c <= 0x60)
                || (c >= 0x7b && c <= 0x7e);
    }

    private static String trimWsp(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * Returns the cookies of every {@code Set-Cookie} field in response headers, in order,
     * skipping the ones {@link #parse(String)} ignores.
     *
     * @throws IllegalArgumentException if the headers are null
     */
    public static List<Cookie> parseAll(Headers responseHeaders) {
        if (responseHeaders == null) {
            throw new IllegalArgumentException("null response headers");
        }
        List<Cookie> out = new ArrayList<>();
        for (String v : responseHeaders.all("Set-Cookie")) {
            Cookie c = parse(v);
            if (c != null) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** Returns {@code name=value}, this cookie's part of a {@code Cookie} request header. */
    public String toHeaderPair() {
        return name + "=" + value;
    }

    /**
     * Returns the value of a {@code Cookie} request header sending these cookies in order, such
     * as {@code a=1; b=2}; empty for no cookies (send no header then).
     *
     * @throws IllegalArgumentException if the list or one of its cookies is null
     */
    public static String toHeaderValue(List<Cookie> cookies) {
        if (cookies == null) {
            throw new IllegalArgumentException("null cookie list");
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cookies.size(); i++) {
            Cookie c = cookies.get(i);
            if (c == null) {
                throw new IllegalArgumentException("null cookie at index " + i + " of " + cookies.size());
            }
            b.append(i > 0 ? "; " : "").append(c.toHeaderPair());
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cookie)) {
            return false;
        }
        Cookie c = (Cookie) o;
        return name.equals(c.name) && value.equals(c.value) && Objects.equals(domain, c.domain)
                && Objects.equals(path, c.path) && Objects.equals(expires, c.expires)
                && Objects.equals(maxAge, c.maxAge) && secure == c.secure && httpOnly == c.httpOnly
                && Objects.equals(sameSite, c.sameSite);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value, domain, path, expires, maxAge, secure, httpOnly, sameSite);
    }

    /** Returns the cookie as a {@code Set-Cookie} value with the value redacted: {@code sid=***; Path=/; Secure}. */
    @Override
    public String toString() {
        return name + "=***" + (domain == null ? "" : "; Domain=" + domain) + (path == null ? "" : "; Path=" + path)
                + (expires == null ? "" : "; Expires=" + expires) + (maxAge == null ? "" : "; Max-Age=" + maxAge)
                + (secure ? "; Secure" : "") + (httpOnly ? "; HttpOnly" : "")
                + (sameSite == null ? "" : "; SameSite=" + sameSite);
    }
}
