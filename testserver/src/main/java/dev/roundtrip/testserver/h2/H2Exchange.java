package dev.roundtrip.testserver.h2;

import java.io.IOException;
import java.util.List;

/**
 * H2Exchange is one request and the means to answer it on its stream: a scripted {@link
 * H2Response}, or frame by frame ({@link #headers}, {@link #data}, {@link #trailers}, {@link
 * #reset}). Handlers run on their own threads; every method may block while the client's
 * flow-control window is closed and fails with {@link IOException} once the stream was reset or
 * the connection closed.
 */
public final class H2Exchange {
  private final H2Connection connection;
  private final ServerStream stream;
  private final H2Request request;

  H2Exchange(H2Connection connection, ServerStream stream, H2Request request) {
    this.connection = connection;
    this.stream = stream;
    this.request = request;
  }

  /**
   * Request returns the request being answered.
   *
   * @return the request
   */
  public H2Request request() {
    return request;
  }

  /**
   * Connection returns the connection the request came on.
   *
   * @return the connection
   */
  public H2Connection connection() {
    return connection;
  }

  /**
   * StreamId returns the request's stream id.
   *
   * @return the id
   */
  public int streamId() {
    return stream.id;
  }

  /**
   * Respond plays {@code r} on this stream.
   *
   * @param r the response or fault
   * @throws IOException if the stream was reset or the connection closed meanwhile
   * @throws InterruptedException if interrupted while waiting for credit
   */
  public void respond(H2Response r) throws IOException, InterruptedException {
    switch (r.kind) {
      case RESET -> reset(r.resetCode);
      case HPACK_BOMB -> connection.sendHeaders(stream, r.bombBlock(), true);
      case CONTINUATION_FLOOD -> {
        connection.sendFrame(H2Frame.HEADERS, 0, stream.id, new byte[] {(byte) 0x88});
        for (int i = 0; i < r.count; i++) {
          connection.sendFrame(H2Frame.CONTINUATION, 0, stream.id, new byte[r.frameSize]);
        }
      }
      case OVERSIZED_DATA -> {
        headers(r.headFields(200), false);
        connection.sendFrame(H2Frame.DATA, H2Frame.END_STREAM, stream.id, r.body);
      }
      case BUILT -> {
        for (int code : r.informational) {
          headers(r.headFields(code), false);
        }
        boolean noBody = r.body.length == 0 && r.trailers.isEmpty();
        headers(r.headFields(r.status), noBody && !r.stallAfterHeaders);
        if (r.stallAfterHeaders || noBody) {
          return;
        }
        if (r.body.length > 0) {
          connection.sendData(stream, r.body, r.frameSize, r.trailers.isEmpty(), r.ignoreFlowControl);
        }
        if (!r.trailers.isEmpty()) {
          trailers(r.trailers);
        }
      }
      default -> throw new IllegalStateException("unknown response kind " + r.kind);
    }
  }

  /**
   * Headers sends a header block (each field {@code {name, value}}, pseudo-headers first).
   *
   * @param fields the fields
   * @param endStream whether to set END_STREAM
   * @throws IOException if the write fails
   */
  public void headers(List<String[]> fields, boolean endStream) throws IOException {
    connection.sendHeaders(stream, MiniHpack.encode(fields), endStream);
  }

  /**
   * Data sends {@code bytes} as DATA frames within the client's windows.
   *
   * @param bytes the octets
   * @param endStream whether the last frame ends the stream
   * @throws IOException if the stream was reset or the connection closed
   * @throws InterruptedException if interrupted while waiting for credit
   */
  public void data(byte[] bytes, boolean endStream) throws IOException, InterruptedException {
    connection.sendData(stream, bytes, 16384, endStream, false);
  }

  /**
   * Trailers sends a trailer block with END_STREAM.
   *
   * @param fields the fields
   * @throws IOException if the write fails
   */
  public void trailers(List<String[]> fields) throws IOException {
    headers(fields, true);
  }

  /**
   * Reset sends RST_STREAM with {@code errorCode}.
   *
   * @param errorCode e.g. 7 for REFUSED_STREAM
   * @throws IOException if the write fails
   */
  public void reset(int errorCode) throws IOException {
    connection.reset(stream.id, errorCode);
  }
}
