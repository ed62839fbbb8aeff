package dev.roundtrip.internal.client;

import dev.roundtrip.Request;
import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.internal.url.Urls;
import java.io.IOException;
import java.lang.reflect.Constructor;

/**
 * ClientErrors puts the method and URL (user information shown as {@code ***}) in front of a failure's
 * message while keeping its type, so callers tell timeouts, cancellation and connection failures
 * apart by type, and keeps the original as the cause (Go's {@code url.Error}). A type that cannot
 * be rebuilt with a message is kept as it is, with the request named in a suppressed exception.
 */
public final class ClientErrors {
    private ClientErrors() {
    }

    /** Returns {@code e} again, of the same type, with "{@code METHOD url: }" before its message. */
    public static IOException decorate(IOException e, Request r, String suffix) {
        String prefix = r.method() + " " + Urls.redact(r.uri()) + ": ";
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.startsWith(prefix)) {
            return e; // already decorated (e.g. by an inner Client)
        }
        String text = prefix + msg + (suffix == null ? "" : suffix);
        if (e instanceof HttpTimeoutException) {
            HttpTimeoutException t = (HttpTimeoutException) e;
            HttpTimeoutException d = new HttpTimeoutException(text, t.phase(), t.isDeadline());
            d.initCause(e);
            return d;
        }
        if (e instanceof ConnectionClosedException) {
            return new ConnectionClosedException(text, e, ((ConnectionClosedException) e).phase());
        }
        IOException same = sameType(e, text);
        if (same != null) {
            return same;
        }
        // No message constructor (e.g. ClosedChannelException): the type matters more than the
        // message, so the original is kept and the request is named in a suppressed exception.
        e.addSuppressed(new IOException("while sending " + prefix.substring(0, prefix.length() - 2)));
        return e;
    }

    private static IOException sameType(IOException e, String text) {
        Class<? extends IOException> type = e.getClass();
        try {
            Constructor<? extends IOException> c = type.getConstructor(String.class, Throwable.class);
            return c.newInstance(text, e);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // try the message-only constructor
        }
        try {
            Constructor<? extends IOException> c = type.getConstructor(String.class);
            IOException d = c.newInstance(text);
            d.initCause(e);
            return d;
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            return null;
        }
    }
}
