package dev.roundtrip.internal.exchange;

import java.io.IOException;

/**
 * ExchangeFailure is how an exchange reports that it failed before a response could be returned:
 * the typed exception for the caller and the {@link RetryVerdict} for the Transport. It is an
 * internal marker: the Transport either retries or throws {@link #error()}; it never escapes.
 * The exchange's connection is already closed.
 */
public final class ExchangeFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient IOException error;
    private final RetryVerdict verdict;

    /** Creates the failure of an exchange: {@code error} for the caller, {@code verdict} for the retry rule. */
    public ExchangeFailure(IOException error, RetryVerdict verdict) {
        super(error.getMessage(), error, false, false);
        this.error = error;
        this.verdict = verdict;
    }

    /** Returns the exception to give the caller (a type from {@code dev.roundtrip.error}, or the caller's own). */
    public IOException error() {
        return error;
    }

    /** Returns what the failure says about a retry. */
    public RetryVerdict verdict() {
        return verdict;
    }
}
