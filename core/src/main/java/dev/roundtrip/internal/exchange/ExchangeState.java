package dev.roundtrip.internal.exchange;

/**
 * ExchangeState is where one exchange is in its life. The legal moves, in the order an exchange
 * makes them:
 * <ol>
 *   <li>{@code WRITING_HEAD} → {@code AWAITING_CONTINUE} (the request says
 *       {@code Expect: 100-continue}), {@code WRITING_BODY}, or {@code READING_HEAD} (no body, or
 *       a body small enough to share the head's write);</li>
 *   <li>{@code AWAITING_CONTINUE} → {@code WRITING_BODY} (100, or the wait timed out) or
 *       {@code READING_HEAD} (a final answer came first: the body is not sent);</li>
 *   <li>{@code WRITING_BODY} → {@code READING_HEAD};</li>
 *   <li>{@code READING_HEAD} → {@code READING_BODY}, or {@code DONE} (no body: released at once);</li>
 *   <li>{@code READING_BODY} → {@code DONE} (end of body, or close);</li>
 *   <li>every state but {@code DONE} and {@code FAILED} → {@code FAILED}.</li>
 * </ol>
 * {@code DONE} and {@code FAILED} are final. An HTTP/2 stream goes through the same states; it
 * may read the head while its body is still being written, which is the legal move
 * {@code WRITING_BODY → READING_HEAD} taken before the body's end.
 */
public enum ExchangeState {
    /** Writing the request head (and a body that shares its write). */
    WRITING_HEAD,
    /** Head sent with {@code Expect: 100-continue}; waiting for 100, a final answer, or the timeout. */
    AWAITING_CONTINUE,
    /** Writing the request body. */
    WRITING_BODY,
    /** Reading the response head (1xx heads included). */
    READING_HEAD,
    /** The response is with the caller; its body is being read. */
    READING_BODY,
    /** The body ended or was closed; the connection was released. */
    DONE,
    /** The exchange failed; its connection was closed. */
    FAILED;

    /** Returns true if an exchange in this state may move to {@code next}. */
    public boolean canMoveTo(ExchangeState next) {
        if (next == FAILED) {
            return this != DONE && this != FAILED;
        }
        switch (this) {
            case WRITING_HEAD: return next == AWAITING_CONTINUE || next == WRITING_BODY || next == READING_HEAD;
            case AWAITING_CONTINUE: return next == WRITING_BODY || next == READING_HEAD;
            case WRITING_BODY: return next == READING_HEAD;
            case READING_HEAD: return next == READING_BODY || next == DONE;
            case READING_BODY: return next == DONE;
            default: return false;
        }
    }

    /**
     * Returns {@code next} if the move is legal.
     *
     * @throws IllegalStateException naming both states otherwise
     */
    public ExchangeState moveTo(ExchangeState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("exchange cannot move from " + this + " to " + next);
        }
        return next;
    }

    /** Returns true for DONE and FAILED. */
    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
