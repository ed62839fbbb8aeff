package dev.roundtrip.micrometer;

import java.net.URI;

/**
 * Origin shows where a request goes as the conventions want it: the URI as text without its user
 * info (the host and port are {@code Request.host()} and {@code Request.port()}).
 */
final class Origin {
    private Origin() {
    }

    /** Returns {@code uri} as text with any user info replaced by {@code REDACTED:REDACTED}. */
    static String withoutUserInfo(URI uri) {
        String info = uri.getRawUserInfo();
        String s = uri.toString();
        return info == null ? s : s.replace(info + "@", "REDACTED:REDACTED@");
    }
}
