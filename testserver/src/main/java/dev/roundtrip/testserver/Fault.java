package dev.roundtrip.testserver;

import java.util.concurrent.TimeUnit;

/**
 * Fault is the catalogue of behaviours of the {@link HostileServer}: each request names one in
 * its {@value HostileServer#FAULT_HEADER} header, and the server answers it that way.
 *
 * <p>Four families ({@link Family}):
 *
 * <ul>
 *   <li>benign: a complete, valid answer in one of the ways servers really answer (chunked,
 *       gzip, throttled, after a flood of 1xx heads, HTTP/1.0, {@code Connection: close}...).
 *   <li>socket: a socket effect ({@link Effect}: close, reset, shut down input or output, stall)
 *       at a point of the exchange ({@link Point}: after the request head, after the whole
 *       request, in the middle of the response head, in the middle of the body, before the last
 *       body byte, after the response). OkHttp's {@code SocketEffect} list is the checklist.
 *   <li>unsolicited: a complete, valid answer, then bytes nobody asked for on the same connection
 *       (an extra response, garbage, a 408) after a delay, or a 408 or a close once the
 *       connection has been idle for {@link #IDLE_NANOS}. Each write is logged as an {@link
 *       UnsolicitedWrite}.
 *   <li>malformed: an answer that breaks HTTP/1.1 framing or limits: garbage instead of a head,
 *       oversized head or trailers, bad chunking, a wrong {@code Content-Length}, corrupt gzip.
 * </ul>
 *
 * <p>Socket faults are named {@code EFFECT_POINT} (e.g. {@link #RESET_MID_BODY}); unsolicited
 * ones {@code WHAT_DELAY} (e.g. {@link #EXTRA_RESPONSE_200US}: an extra complete response 200 µs
 * after the answer), where the delay counts from the end of the answer's write.
 *
 * <p>Every answer that is meant to be read carries {@link HostileServer#REQUEST_ID_HEADER} and a
 * {@link Payload} body of the request's id, so a client can tell a corrupt body or the answer
 * of another request from the right one.
 */
public enum Fault {
  /** A {@code 200} with {@code Content-Length}; the connection stays open. */
  NONE(Family.BENIGN),
  /** A chunked body (chunks of 1 to 4096 bytes, some with extensions) and a trailer field. */
  CHUNKED(Family.BENIGN),
  /** A gzip-coded body ({@code Content-Encoding: gzip}) when the request accepts gzip. */
  GZIP(Family.BENIGN),
  /** The whole answer in small writes with short pauses (about 100 writes, at most ~100 ms). */
  THROTTLED(Family.BENIGN),
  /** Forty {@code 100 Continue} and {@code 103 Early Hints} heads, each its own write, first. */
  INFORMATIONAL_FLOOD(Family.BENIGN),
  /** {@code HTTP/1.0} without {@code Content-Length}: the body ends when the server closes. */
  HTTP10_UNTIL_CLOSE(Family.BENIGN),
  /** {@code HTTP/1.0} with {@code Connection: keep-alive}: the connection may be reused. */
  HTTP10_KEEP_ALIVE(Family.BENIGN),
  /**
   * {@code HTTP/1.0} with {@code Content-Length} and no keep-alive: the client must not reuse
   * the connection, which the server leaves open (a request on it is a {@link ClientViolation}).
   */
  HTTP10_NO_KEEP_ALIVE(Family.BENIGN),
  /** {@code Connection: close}, and the server closes after the answer. */
  CONNECTION_CLOSE(Family.BENIGN),
  /** {@code Connection: close}, but the server leaves the connection open (reuse is a violation). */
  CONNECTION_CLOSE_LEFT_OPEN(Family.BENIGN),
  /**
   * The answer (with {@code Connection: close}) is written before the request body is read,
   * without {@code 100 Continue}; the body is then read and discarded and the connection closed.
   */
  EARLY_RESPONSE(Family.BENIGN),

  /** Closes the socket once the request head is read ({@link Effect#CLOSE} at {@link Point#AFTER_HEAD}). */
  CLOSE_AFTER_HEAD(Effect.CLOSE, Point.AFTER_HEAD),
  /** Closes the socket once the whole request is read ({@link Effect#CLOSE} at {@link Point#AFTER_REQUEST}). */
  CLOSE_AFTER_REQUEST(Effect.CLOSE, Point.AFTER_REQUEST),
  /** Closes the socket in the middle of the response head ({@link Effect#CLOSE} at {@link Point#MID_HEAD}). */
  CLOSE_MID_HEAD(Effect.CLOSE, Point.MID_HEAD),
  /** Closes the socket in the middle of the response body ({@link Effect#CLOSE} at {@link Point#MID_BODY}). */
  CLOSE_MID_BODY(Effect.CLOSE, Point.MID_BODY),
  /** Closes the socket before the last body byte ({@link Effect#CLOSE} at {@link Point#END_OF_BODY}). */
  CLOSE_END_OF_BODY(Effect.CLOSE, Point.END_OF_BODY),
  /** Closes the socket after the whole response ({@link Effect#CLOSE} at {@link Point#AFTER_RESPONSE}). */
  CLOSE_AFTER_RESPONSE(Effect.CLOSE, Point.AFTER_RESPONSE),
  /** Resets the socket (RST) once the request head is read ({@link Effect#RESET} at {@link Point#AFTER_HEAD}). */
  RESET_AFTER_HEAD(Effect.RESET, Point.AFTER_HEAD),
  /** Resets the socket (RST) once the whole request is read ({@link Effect#RESET} at {@link Point#AFTER_REQUEST}). */
  RESET_AFTER_REQUEST(Effect.RESET, Point.AFTER_REQUEST),
  /** Resets the socket (RST) in the middle of the response head ({@link Effect#RESET} at {@link Point#MID_HEAD}). */
  RESET_MID_HEAD(Effect.RESET, Point.MID_HEAD),
  /** Resets the socket (RST) in the middle of the response body ({@link Effect#RESET} at {@link Point#MID_BODY}). */
  RESET_MID_BODY(Effect.RESET, Point.MID_BODY),
  /** Resets the socket (RST) before the last body byte ({@link Effect#RESET} at {@link Point#END_OF_BODY}). */
  RESET_END_OF_BODY(Effect.RESET, Point.END_OF_BODY),
  /** Resets the socket (RST) after the whole response ({@link Effect#RESET} at {@link Point#AFTER_RESPONSE}). */
  RESET_AFTER_RESPONSE(Effect.RESET, Point.AFTER_RESPONSE),
  /** Stops reading once the request head is read ({@link Effect#SHUTDOWN_INPUT} at {@link Point#AFTER_HEAD}). */
  SHUTDOWN_INPUT_AFTER_HEAD(Effect.SHUTDOWN_INPUT, Point.AFTER_HEAD),
  /** Stops reading once the whole request is read ({@link Effect#SHUTDOWN_INPUT} at {@link Point#AFTER_REQUEST}). */
  SHUTDOWN_INPUT_AFTER_REQUEST(Effect.SHUTDOWN_INPUT, Point.AFTER_REQUEST),
  /** Stops reading in the middle of the response head ({@link Effect#SHUTDOWN_INPUT} at {@link Point#MID_HEAD}). */
  SHUTDOWN_INPUT_MID_HEAD(Effect.SHUTDOWN_INPUT, Point.MID_HEAD),
  /** Stops reading in the middle of the response body ({@link Effect#SHUTDOWN_INPUT} at {@link Point#MID_BODY}). */
  SHUTDOWN_INPUT_MID_BODY(Effect.SHUTDOWN_INPUT, Point.MID_BODY),
  /** Stops reading before the last body byte ({@link Effect#SHUTDOWN_INPUT} at {@link Point#END_OF_BODY}). */
  SHUTDOWN_INPUT_END_OF_BODY(Effect.SHUTDOWN_INPUT, Point.END_OF_BODY),
  /** Stops reading after the whole response ({@link Effect#SHUTDOWN_INPUT} at {@link Point#AFTER_RESPONSE}). */
  SHUTDOWN_INPUT_AFTER_RESPONSE(Effect.SHUTDOWN_INPUT, Point.AFTER_RESPONSE),
  /** Shuts down output (FIN) once the request head is read ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#AFTER_HEAD}). */
  SHUTDOWN_OUTPUT_AFTER_HEAD(Effect.SHUTDOWN_OUTPUT, Point.AFTER_HEAD),
  /** Shuts down output (FIN) once the whole request is read ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#AFTER_REQUEST}). */
  SHUTDOWN_OUTPUT_AFTER_REQUEST(Effect.SHUTDOWN_OUTPUT, Point.AFTER_REQUEST),
  /** Shuts down output (FIN) in the middle of the response head ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#MID_HEAD}). */
  SHUTDOWN_OUTPUT_MID_HEAD(Effect.SHUTDOWN_OUTPUT, Point.MID_HEAD),
  /** Shuts down output (FIN) in the middle of the response body ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#MID_BODY}). */
  SHUTDOWN_OUTPUT_MID_BODY(Effect.SHUTDOWN_OUTPUT, Point.MID_BODY),
  /** Shuts down output (FIN) before the last body byte ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#END_OF_BODY}). */
  SHUTDOWN_OUTPUT_END_OF_BODY(Effect.SHUTDOWN_OUTPUT, Point.END_OF_BODY),
  /** Shuts down output (FIN) after the whole response ({@link Effect#SHUTDOWN_OUTPUT} at {@link Point#AFTER_RESPONSE}). */
  SHUTDOWN_OUTPUT_AFTER_RESPONSE(Effect.SHUTDOWN_OUTPUT, Point.AFTER_RESPONSE),
  /** Stalls once the request head is read ({@link Effect#STALL} at {@link Point#AFTER_HEAD}). */
  STALL_AFTER_HEAD(Effect.STALL, Point.AFTER_HEAD),
  /** Stalls once the whole request is read ({@link Effect#STALL} at {@link Point#AFTER_REQUEST}). */
  STALL_AFTER_REQUEST(Effect.STALL, Point.AFTER_REQUEST),
  /** Stalls in the middle of the response head ({@link Effect#STALL} at {@link Point#MID_HEAD}). */
  STALL_MID_HEAD(Effect.STALL, Point.MID_HEAD),
  /** Stalls in the middle of the response body ({@link Effect#STALL} at {@link Point#MID_BODY}). */
  STALL_MID_BODY(Effect.STALL, Point.MID_BODY),
  /** Stalls before the last body byte ({@link Effect#STALL} at {@link Point#END_OF_BODY}). */
  STALL_END_OF_BODY(Effect.STALL, Point.END_OF_BODY),
  /** Stalls after the whole response ({@link Effect#STALL} at {@link Point#AFTER_RESPONSE}). */
  STALL_AFTER_RESPONSE(Effect.STALL, Point.AFTER_RESPONSE),

  /** After the answer, an extra, unsolicited response right after the answer. */
  EXTRA_RESPONSE_0US(Stray.EXTRA_RESPONSE, 0),
  /** After the answer, an extra, unsolicited response 200 µs after the answer. */
  EXTRA_RESPONSE_200US(Stray.EXTRA_RESPONSE, 200),
  /** After the answer, an extra, unsolicited response 1 ms after the answer. */
  EXTRA_RESPONSE_1MS(Stray.EXTRA_RESPONSE, 1000),
  /** After the answer, an extra, unsolicited response 10 ms after the answer. */
  EXTRA_RESPONSE_10MS(Stray.EXTRA_RESPONSE, 10_000),
  /** After the answer, unsolicited garbage bytes right after the answer. */
  GARBAGE_0US(Stray.GARBAGE, 0),
  /** After the answer, unsolicited garbage bytes 200 µs after the answer. */
  GARBAGE_200US(Stray.GARBAGE, 200),
  /** After the answer, unsolicited garbage bytes 1 ms after the answer. */
  GARBAGE_1MS(Stray.GARBAGE, 1000),
  /** After the answer, unsolicited garbage bytes 10 ms after the answer. */
  GARBAGE_10MS(Stray.GARBAGE, 10_000),
  /** After the answer, an unsolicited 408 response right after the answer. */
  TIMEOUT_408_0US(Stray.TIMEOUT_408, 0),
  /** After the answer, an unsolicited 408 response 200 µs after the answer. */
  TIMEOUT_408_200US(Stray.TIMEOUT_408, 200),
  /** After the answer, an unsolicited 408 response 1 ms after the answer. */
  TIMEOUT_408_1MS(Stray.TIMEOUT_408, 1000),
  /** After the answer, an unsolicited 408 response 10 ms after the answer. */
  TIMEOUT_408_10MS(Stray.TIMEOUT_408, 10_000),
  /** After the answer, a 408 and a close once the connection has been idle {@link #IDLE_NANOS}. */
  IDLE_408(Stray.TIMEOUT_408, -1),
  /** After the answer, a close (FIN) once the connection has been idle {@link #IDLE_NANOS}. */
  IDLE_CLOSE(Stray.NONE, -1),

  /** Non-HTTP bytes instead of a status line, then a close. */
  GARBAGE_HEAD(Family.MALFORMED),
  /** A head of {@link #OVERSIZED_BYTES} (one long field per 8 KiB), then the body. */
  OVERSIZED_HEAD(Family.MALFORMED),
  /** A chunked body whose trailer section is {@link #OVERSIZED_BYTES} long. */
  OVERSIZED_TRAILERS(Family.MALFORMED),
  /** 1xx heads adding up to {@link #OVERSIZED_BYTES} before the final head. */
  INFORMATIONAL_OVERFLOW(Family.MALFORMED),
  /** A chunked body whose second chunk-size line is not hexadecimal, then a close. */
  BAD_CHUNK_SIZE(Family.MALFORMED),
  /** A chunked body whose first chunk's data is followed by {@code XX} instead of CRLF. */
  CHUNK_WITHOUT_CRLF(Family.MALFORMED),
  /** A chunked body cut in the middle of a chunk's data, then a close. */
  CHUNK_TRUNCATED(Family.MALFORMED),
  /** A chunked body whose last chunk {@code 0\r\n} is not followed by the final CRLF; a close. */
  LAST_CHUNK_TRUNCATED(Family.MALFORMED),
  /**
   * {@code Content-Length} {@link #SHORT_BY} bytes less than the bytes that follow: a correct
   * client returns the shorter body and does not reuse the connection (the surplus bytes are
   * logged as an {@link UnsolicitedWrite}).
   */
  CONTENT_LENGTH_SHORT(Family.MALFORMED),
  /** {@code Content-Length} {@link #SHORT_BY} bytes more than the bytes sent, then a close. */
  CONTENT_LENGTH_LONG(Family.MALFORMED),
  /** A gzip body with one byte of its compressed data flipped (when the request accepts gzip). */
  GZIP_CORRUPT(Family.MALFORMED),
  /** A gzip body cut in half, framed by a {@code Content-Length} of the cut length. */
  GZIP_TRUNCATED(Family.MALFORMED);

  /** Family groups the faults by what the client has to cope with. */
  public enum Family {
    /** A complete, valid answer. */
    BENIGN,
    /** A socket effect at a point of the exchange. */
    SOCKET,
    /** A valid answer, then bytes nobody asked for (or a close once idle). */
    UNSOLICITED,
    /** An answer that breaks the framing or the limits. */
    MALFORMED
  }

  /** Effect is what a socket fault does to the connection. */
  public enum Effect {
    /** Close the socket (FIN; the kernel sends RST instead when request bytes are unread). */
    CLOSE,
    /** Close with {@code SO_LINGER} 0: RST. */
    RESET,
    /** Stop reading (unread and later request bytes are dropped), finish the answer, close. */
    SHUTDOWN_INPUT,
    /** Send FIN, then read and discard until the client closes. */
    SHUTDOWN_OUTPUT,
    /** Write nothing more; read and discard until the client closes. */
    STALL
  }

  /** Point is where in the exchange a socket fault strikes. */
  public enum Point {
    /** Once the request head is read: the body is unread and no 100 Continue was sent. */
    AFTER_HEAD,
    /** Once the whole request is read. */
    AFTER_REQUEST,
    /**
     * After part of the response head: from its first byte to all but its last, chosen by a hash
     * of the request id, so that status lines are cut as well as header fields.
     */
    MID_HEAD,
    /** After the head and the first half of the body. */
    MID_BODY,
    /** After the head and all body bytes but the last one (an empty body is complete here). */
    END_OF_BODY,
    /** After the whole response. */
    AFTER_RESPONSE
  }

  /** What an unsolicited fault writes. */
  enum Stray { NONE, EXTRA_RESPONSE, GARBAGE, TIMEOUT_408 }

  /** IDLE_NANOS is how long a connection must be idle before {@link #IDLE_408}/{@link #IDLE_CLOSE}: 2 ms. */
  public static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** OVERSIZED_BYTES is the size of oversized heads and trailers: 320 KiB (roundtrip's limit is 256 KiB). */
  public static final int OVERSIZED_BYTES = 320 * 1024;
  /** SHORT_BY is how far the {@code Content-Length} of the wrong-length faults is off: 7 bytes. */
  public static final int SHORT_BY = 7;

  private final Family family;
  private final Effect effect;
  private final Point point;
  private final Stray stray;
  private final long delayNanos;

  Fault(Family family) {
    this(family, null, null, Stray.NONE, 0);
  }

  Fault(Effect effect, Point point) {
    this(Family.SOCKET, effect, point, Stray.NONE, 0);
  }

  Fault(Stray stray, long delayMicros) {
    this(Family.UNSOLICITED, null, null, stray,
        delayMicros < 0 ? -1 : TimeUnit.MICROSECONDS.toNanos(delayMicros));
  }

  Fault(Family family, Effect effect, Point point, Stray stray, long delayNanos) {
    this.family = family;
    this.effect = effect;
    this.point = point;
    this.stray = stray;
    this.delayNanos = delayNanos;
  }

  /**
   * Family returns the family of this fault.
   *
   * @return the family
   */
  public Family family() {
    return family;
  }

  /**
   * Effect returns the socket effect of a socket fault.
   *
   * @return the effect, or null when this is not a socket fault
   */
  public Effect effect() {
    return effect;
  }

  /**
   * Point returns where a socket fault strikes.
   *
   * @return the point, or null when this is not a socket fault
   */
  public Point point() {
    return point;
  }

  /**
   * DeliveredBodyBytes returns how many body bytes a correct client returns as the body of a
   * successful answer to a request that asked for {@code asked} bytes: {@code asked}, except
   * {@link #CONTENT_LENGTH_SHORT} ({@link #SHORT_BY} fewer). For faults that a client cannot
   * survive the answer is still {@code asked}, so that a "success" with fewer bytes shows.
   *
   * @param asked the value of the request's {@value HostileServer#BODY_SIZE_HEADER} header
   * @return the expected body length
   */
  public int deliveredBodyBytes(int asked) {
    return this == CONTENT_LENGTH_SHORT ? Math.max(0, asked - SHORT_BY) : asked;
  }

  /**
   * AnswersInFull tells whether the server answers the request itself with a complete, valid
   * response that reaches the client (benign and unsolicited faults, and the socket faults that
   * close, shut down or stall only after the response); what the fault does next affects the
   * connection's later requests.
   *
   * @return true when the request's own answer is complete and valid
   */
  public boolean answersInFull() {
    switch (family) {
      case BENIGN:
      case UNSOLICITED:
        return true;
      case SOCKET:
        return point == Point.AFTER_RESPONSE && effect != Effect.RESET;
      default:
        return false;
    }
  }

  Stray stray() {
    return stray;
  }

  /** The delay of an unsolicited write after the answer; -1 for the idle faults. */
  long delayNanos() {
    return delayNanos;
  }

  /** Returns the fault named {@code name}, or null when there is none. */
  static Fault parse(String name) {
    if (name == null) {
      return NONE;
    }
    try {
      return valueOf(name.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
