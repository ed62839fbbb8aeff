package dev.roundtrip.internal.url;

import dev.roundtrip.internal.util.UserInfo;
import java.net.URI;

/** Urls holds the URI helpers that the API and the engine share. */
public final class Urls {
    private Urls() {
    }

    /**
     * Returns the URI for messages, its whole user information (user name included: it is often a
     * token) replaced by {@code ***}: {@code https://***@host/path}.
     */
    public static String redact(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : UserInfo.redact(uri.toString());
    }
}
