package dev.roundtrip.testserver.h2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * FrameLoop reads one connection's frames after the preface: it records each, acknowledges
 * SETTINGS and PINGs (unless told not to), applies WINDOW_UPDATEs, collects requests (HEADERS with
 * their CONTINUATIONs, DATA, trailers), grants credit for DATA, and dispatches each complete
 * request. It runs on the connection's thread until the stream ends.
 */
final class FrameLoop {
  private static final int MAX_LENGTH = 1 << 24;

  private final H2Connection conn;
  private final InputStream in;
  private final H2Options options;

  FrameLoop(H2Connection conn, InputStream in, H2Options options) {
    this.conn = conn;
    this.in = in;
    this.options = options;
  }

  void run() throws IOException {
    int[] head = new int[4];
    while (true) {
      conn.awaitReading();
      byte[] payload = next(head);
      if (payload == null) {
        return;
      }
      int type = head[1];
      int flags = head[2];
      int streamId = head[3];
      switch (type) {
        case H2Frame.SETTINGS -> {
          if ((flags & H2Frame.ACK) == 0) {
            conn.clientSettings(payload);
            if (options.ackSettings()) {
              conn.sendFrame(H2Frame.SETTINGS, H2Frame.ACK, 0, new byte[0]);
            }
          }
        }
        case H2Frame.PING -> {
          if ((flags & H2Frame.ACK) == 0 && options.answerPings()) {
            conn.sendFrame(H2Frame.PING, H2Frame.ACK, 0, payload);
          }
        }
        case H2Frame.WINDOW_UPDATE -> conn.windowUpdate(streamId, Bytes.int32(payload, 0) & 0x7fffffff);
        case H2Frame.RST_STREAM -> conn.clientReset(streamId);
        case H2Frame.HEADERS -> headers(flags, streamId, payload, head);
        case H2Frame.DATA -> data(flags, streamId, payload);
        default -> {
          // PRIORITY, GOAWAY, unknown: recorded only
        }
      }
    }
  }

  /** Reads one frame into {@code head} (length, type, flags, stream) and records it; null at the end. */
  private byte[] next(int[] head) throws IOException {
    byte[] h = in.readNBytes(9);
    if (h.length < 9) {
      return null;
    }
    head[0] = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
    head[1] = h[3] & 0xff;
    head[2] = h[4] & 0xff;
    head[3] = Bytes.int32(h, 5) & 0x7fffffff;
    if (head[0] > MAX_LENGTH) {
      return null;
    }
    byte[] payload = in.readNBytes(head[0]);
    if (payload.length < head[0]) {
      return null;
    }
    conn.record(head[1], head[2], head[3], payload);
    return payload;
  }

  private void headers(int flags, int streamId, byte[] payload, int[] head) throws IOException {
    int start = 0;
    int end = payload.length;
    if ((flags & 0x8) != 0) { // PADDED
      start = 1;
      end -= payload[0] & 0xff;
    }
    if ((flags & 0x20) != 0) { // PRIORITY
      start += 5;
    }
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(payload, start, Math.max(0, end - start));
    boolean endHeaders = (flags & H2Frame.END_HEADERS) != 0;
    while (!endHeaders) {
      byte[] more = next(head);
      if (more == null || head[1] != H2Frame.CONTINUATION) {
        throw new IOException("expected CONTINUATION");
      }
      block.write(more, 0, more.length);
      endHeaders = (head[2] & H2Frame.END_HEADERS) != 0;
    }
    List<String[]> fields = conn.hpack().decode(block.toByteArray());
    ServerStream s = conn.stream(streamId);
    if (s == null) {
      s = conn.open(streamId, fields);
      if (s == null) {
        return; // refused
      }
      s.withholdCredit = withholds(fields);
    } else {
      s.trailers = fields;
    }
    if ((flags & H2Frame.END_STREAM) != 0) {
      conn.dispatch(s);
    }
  }

  /** Returns whether a request with {@code fields} gets no stream credit ({@link H2Options#withholdStreamCredit}). */
  private boolean withholds(List<String[]> fields) {
    String name = options.withholdStreamCreditField();
    if (name == null) {
      return false;
    }
    for (String[] f : fields) {
      if (f[0].equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void data(int flags, int streamId, byte[] payload) throws IOException {
    ServerStream s = conn.stream(streamId);
    int start = 0;
    int end = payload.length;
    if ((flags & 0x8) != 0) {
      start = 1;
      end -= payload[0] & 0xff;
    }
    boolean endStream = (flags & H2Frame.END_STREAM) != 0;
    if (options.grantCredit() && payload.length > 0) {
      byte[] inc = new byte[4];
      Bytes.putInt(inc, 0, payload.length);
      conn.sendFrame(H2Frame.WINDOW_UPDATE, 0, 0, inc);
      if (!endStream && s != null && !s.withholdCredit) {
        conn.sendFrame(H2Frame.WINDOW_UPDATE, 0, streamId, inc);
      }
    }
    if (s == null) {
      return;
    }
    s.body.write(Arrays.copyOfRange(payload, start, Math.max(start, end)), 0, Math.max(0, end - start));
    if (endStream) {
      conn.dispatch(s);
    }
  }
}
