package dev.roundtrip.internal.url;

import java.net.URI;

/** Urls holds the URI helpers that the API and the engine share. */
public final class Urls {
    private Urls() {
    }

    /** Returns the URI with any password replaced by {@code ***}, for messages. */
    public static String redact(URI uri) {
        String info = uri.getRawUserInfo();
        if (info == null || info.indexOf(':') < 0) {
            return uri.toString();
        }
        return uri.toString().replace(info, info.substring(0, info.indexOf(':')) + ":***");
    }
}
