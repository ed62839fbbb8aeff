package dev.roundtrip.testserver;

/**
 * ClientViolation is something a client did that HTTP/1.1 forbids, as the {@link HostileServer}
 * saw it.
 *
 * @param kind what was violated
 * @param requestId the id of the request that showed it
 * @param fault that request's fault
 * @param connectionIndex the connection's accept order, from 0
 * @param causeRequestId the request whose answer made the rule apply: the one answered with a
 *     response that closes the connection, or the retried request itself
 * @param detail a sentence for failure messages
 */
public record ClientViolation(Kind kind, String requestId, Fault fault, int connectionIndex,
    String causeRequestId, String detail) {
  /** Kind names the rule. */
  public enum Kind {
    /**
     * A request on a connection after a response that closes it ({@code Connection: close}, or
     * HTTP/1.0 without keep-alive): RFC 9112 section 9.6 says the client must not send more.
     */
    REUSED_AFTER_CLOSE,
    /**
     * A request that arrived again after the server had sent bytes of an answer to it (and
     * closed with FIN, so they arrived): the retry rule allows a retry only when no byte of a
     * response arrived.
     */
    RETRIED_AFTER_RESPONSE_BYTES
  }
}
