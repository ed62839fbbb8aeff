package dev.roundtrip.internal.util;

/**
 * UserInfo hides the user information of URLs in text meant for people (exception messages,
 * {@code toString}, pool keys): all of it, user name included, because a token is often the user
 * name ({@code https://ghp_TOKEN@host/}, {@code https://TOKEN:x-oauth-basic@host/}).
 */
public final class UserInfo {
    /** REDACTED is what replaces the user information: {@value}. */
    public static final String REDACTED = "***";

    private UserInfo() {
    }

    /**
     * Returns {@code url} with the user information of its authority (after {@code ://}, up to the
     * last {@code @} before the first {@code /}, {@code ?} or {@code #}) replaced by
     * {@value #REDACTED}: {@code http://***@host/}. Text without {@code ://} or without user
     * information is returned as it is; the URL need not be valid.
     */
    public static String redact(String url) {
        int at = at(url);
        return at < 0 ? url : url.substring(0, url.indexOf("://") + 3) + REDACTED + url.substring(at);
    }

    /**
     * Returns the index of the {@code @} ending the user information of {@code url}, or -1 when it
     * has none; the user information starts 3 characters after {@code url.indexOf("://")}.
     */
    public static int at(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return -1;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at >= start ? at : -1;
    }
}
