package dev.roundtrip.testserver.h2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * H2Response is a scripted answer to one request: a response (1xx heads, a final head, DATA,
 * trailers) or a fault on its stream. Immutable: every method returns a new instance, so one value
 * can answer many requests. It is an {@link H2Handler}: enqueue it, or call {@link
 * H2Exchange#respond} from a handler.
 *
 * <p>Built responses send HEADERS (with {@code :status}, then the headers in order, literal and
 * uncompressed), the body as DATA frames of at most {@link #dataFrameSize} octets (default 16384)
 * within the client's flow-control windows, then trailers as a HEADERS frame with END_STREAM. No
 * header is added: no {@code content-length}, no {@code date}.
 */
public final class H2Response implements H2Handler {
  enum Kind { BUILT, RESET, HPACK_BOMB, CONTINUATION_FLOOD, OVERSIZED_DATA }

  final Kind kind;
  final int status;
  final List<String[]> headers;
  final List<Integer> informational;
  final byte[] body;
  final List<String[]> trailers;
  final int frameSize;
  final boolean ignoreFlowControl;
  final boolean stallAfterHeaders;
  final int resetCode;
  final int count;

  private H2Response(Kind kind, int status, List<String[]> headers, List<Integer> informational,
      byte[] body, List<String[]> trailers, int frameSize, boolean ignoreFlowControl,
      boolean stallAfterHeaders, int resetCode, int count) {
    this.kind = kind;
    this.status = status;
    this.headers = headers;
    this.informational = informational;
    this.body = body;
    this.trailers = trailers;
    this.frameSize = frameSize;
    this.ignoreFlowControl = ignoreFlowControl;
    this.stallAfterHeaders = stallAfterHeaders;
    this.resetCode = resetCode;
    this.count = count;
  }

  /**
   * Status returns a response with {@code code}, no header and an empty body.
   *
   * @param code the status code
   * @return a new response
   */
  public static H2Response status(int code) {
    return new H2Response(Kind.BUILT, code, List.of(), List.of(), new byte[0], List.of(), 16384,
        false, false, 0, 0);
  }

  /**
   * Reset returns a fault: the stream is reset with {@code errorCode} and nothing else is sent
   * (7 is REFUSED_STREAM, 8 CANCEL).
   *
   * @param errorCode the RST_STREAM error code
   * @return a new response
   */
  public static H2Response reset(int errorCode) {
    return new H2Response(Kind.RESET, 0, List.of(), List.of(), new byte[0], List.of(), 16384, false,
        false, errorCode, 0);
  }

  /**
   * HpackBomb returns a fault: a HEADERS block that adds one 4,000-octet field to the client's
   * dynamic table and then refers to it {@code references} times, so that a few kilobytes decode
   * to {@code references} x 4 KB of fields; sent as HEADERS and CONTINUATION frames of 16384
   * octets, END_STREAM set.
   *
   * @param references how many one-octet references follow the literal
   * @return a new response
   */
  public static H2Response hpackBomb(int references) {
    return new H2Response(Kind.HPACK_BOMB, 200, List.of(), List.of(), new byte[0], List.of(), 16384,
        false, false, 0, references);
  }

  /**
   * ContinuationFlood returns a fault: a HEADERS frame without END_HEADERS followed by {@code
   * frames} CONTINUATION frames of {@code frameBytes} octets each, never ending the block.
   *
   * @param frames how many CONTINUATION frames
   * @param frameBytes octets in each (0 for empty frames)
   * @return a new response
   */
  public static H2Response continuationFlood(int frames, int frameBytes) {
    return new H2Response(Kind.CONTINUATION_FLOOD, 200, List.of(), List.of(), new byte[0], List.of(),
        frameBytes, false, false, 0, frames);
  }

  /**
   * OversizedData returns a fault: a normal 200 head, then one DATA frame of {@code length}
   * octets, more than the client's SETTINGS_MAX_FRAME_SIZE allows.
   *
   * @param length the DATA frame's length
   * @return a new response
   */
  public static H2Response oversizedData(int length) {
    return new H2Response(Kind.OVERSIZED_DATA, 200, List.of(), List.of(), new byte[length], List.of(),
        length, true, false, 0, 0);
  }

  /**
   * Header returns this response with one more header field (sent after {@code :status}).
   *
   * @param name the name, lowercase for a valid response
   * @param value the value
   * @return the derived response
   */
  public H2Response header(String name, String value) {
    List<String[]> h = new ArrayList<>(headers);
    h.add(new String[] {name, value});
    return with(h, informational, body, trailers, frameSize, ignoreFlowControl, stallAfterHeaders);
  }

  /**
   * Body returns this response with {@code text} (UTF-8) as its body.
   *
   * @param text the body
   * @return the derived response
   */
  public H2Response body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Body returns this response with {@code bytes} as its body.
   *
   * @param bytes the body
   * @return the derived response
   */
  public H2Response body(byte[] bytes) {
    return with(headers, informational, bytes.clone(), trailers, frameSize, ignoreFlowControl,
        stallAfterHeaders);
  }

  /**
   * Trailer returns this response with one more trailer field.
   *
   * @param name the name
   * @param value the value
   * @return the derived response
   */
  public H2Response trailer(String name, String value) {
    List<String[]> t = new ArrayList<>(trailers);
    t.add(new String[] {name, value});
    return with(headers, informational, body, t, frameSize, ignoreFlowControl, stallAfterHeaders);
  }

  /**
   * Informational returns this response preceded by a {@code code} (1xx) head.
   *
   * @param code e.g. 103
   * @return the derived response
   */
  public H2Response informational(int code) {
    List<Integer> i = new ArrayList<>(informational);
    i.add(code);
    return with(headers, i, body, trailers, frameSize, ignoreFlowControl, stallAfterHeaders);
  }

  /**
   * DataFrameSize returns this response with its body cut into DATA frames of at most {@code
   * size} octets.
   *
   * @param size the largest DATA payload
   * @return the derived response
   */
  public H2Response dataFrameSize(int size) {
    return with(headers, informational, body, trailers, size, ignoreFlowControl, stallAfterHeaders);
  }

  /**
   * IgnoreFlowControl returns this response sent without regard to the client's windows (to test
   * that the client detects FLOW_CONTROL_ERROR).
   *
   * @return the derived response
   */
  public H2Response ignoreFlowControl() {
    return with(headers, informational, body, trailers, frameSize, true, stallAfterHeaders);
  }

  /**
   * StallAfterHeaders returns this response cut after its head: no DATA, no END_STREAM, ever.
   *
   * @return the derived response
   */
  public H2Response stallAfterHeaders() {
    return with(headers, informational, body, trailers, frameSize, ignoreFlowControl, true);
  }

  @Override
  public void handle(H2Exchange exchange) throws Exception {
    exchange.respond(this);
  }

  private H2Response with(List<String[]> h, List<Integer> i, byte[] b, List<String[]> t, int size,
      boolean ignore, boolean stall) {
    if (kind != Kind.BUILT) {
      throw new IllegalStateException("only built responses take modifiers, not " + kind);
    }
    return new H2Response(kind, status, List.copyOf(h), List.copyOf(i), b, List.copyOf(t), size,
        ignore, stall, resetCode, count);
  }

  /** Returns the head's fields: {@code :status} then the headers. */
  List<String[]> headFields(int code) {
    List<String[]> f = new ArrayList<>();
    f.add(new String[] {":status", Integer.toString(code)});
    if (code >= 200) {
      f.addAll(headers);
    }
    return f;
  }

  /** Returns the bomb's header block. */
  byte[] bombBlock() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x88); // :status 200
    out.write(0x40); // literal with incremental indexing, new name
    MiniHpack.literal(out, "x-bomb");
    MiniHpack.literal(out, "v".repeat(4000));
    for (int i = 0; i < count; i++) {
      out.write(0x80 | 62);
    }
    return out.toByteArray();
  }
}
