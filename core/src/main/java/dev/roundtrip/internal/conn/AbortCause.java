package dev.roundtrip.internal.conn;

import dev.roundtrip.error.TimeoutPhase;

/**
 * AbortCause says why another thread closed a connection under its exchange: a cancel, the write
 * watchdog (no progress, or the deadline) or the read watchdog (a phase timeout, or the deadline).
 * The blocked read or write then fails with whatever the socket says; {@link ExchangeErrors} reads
 * this to tell the caller what really happened.
 *
 * @param kind       what aborted it
 * @param phase      the phase a watchdog interrupted (for a cancel: null, the exchange knows)
 * @param byDeadline whether the request's overall deadline fired rather than a phase timeout
 */
record AbortCause(Kind kind, TimeoutPhase phase, boolean byDeadline) {
    /** What aborted the connection. */
    enum Kind { CANCELED, WRITE_TIMEOUT, READ_TIMEOUT }

    static final AbortCause CANCELED = new AbortCause(Kind.CANCELED, null, false);
}
