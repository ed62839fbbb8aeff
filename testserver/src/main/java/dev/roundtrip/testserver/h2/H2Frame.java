package dev.roundtrip.testserver.h2;

import java.util.HexFormat;

/**
 * H2Frame is one frame the server received from a client, as it came (CONTINUATION frames are
 * recorded one by one), with the index of the connection it came on.
 *
 * @param connection the connection's index, 0 for the first accepted
 * @param type the frame type, e.g. {@link #RST_STREAM}
 * @param flags the flags octet
 * @param streamId the stream id, reserved bit cleared
 * @param payload the payload octets
 */
public record H2Frame(int connection, int type, int flags, int streamId, byte[] payload) {
  /** DATA frame type (RFC 9113 §6.1). */
  public static final int DATA = 0x0;
  /** HEADERS frame type (§6.2). */
  public static final int HEADERS = 0x1;
  /** PRIORITY frame type (§6.3). */
  public static final int PRIORITY = 0x2;
  /** RST_STREAM frame type (§6.4). */
  public static final int RST_STREAM = 0x3;
  /** SETTINGS frame type (§6.5). */
  public static final int SETTINGS = 0x4;
  /** PUSH_PROMISE frame type (§6.6). */
  public static final int PUSH_PROMISE = 0x5;
  /** PING frame type (§6.7). */
  public static final int PING = 0x6;
  /** GOAWAY frame type (§6.8). */
  public static final int GOAWAY = 0x7;
  /** WINDOW_UPDATE frame type (§6.9). */
  public static final int WINDOW_UPDATE = 0x8;
  /** CONTINUATION frame type (§6.10). */
  public static final int CONTINUATION = 0x9;

  /** END_STREAM flag (DATA, HEADERS). */
  public static final int END_STREAM = 0x1;
  /** ACK flag (SETTINGS, PING). */
  public static final int ACK = 0x1;
  /** END_HEADERS flag (HEADERS, CONTINUATION). */
  public static final int END_HEADERS = 0x4;

  /**
   * Encode returns the octets of one frame (RFC 9113 §4.1): its 9-octet header, then {@code
   * payload}, unchecked; for {@link H2Connection#sendRaw}, which can send several at once.
   *
   * @param type the frame type, e.g. {@link #DATA}
   * @param flags the flags octet
   * @param streamId the stream id
   * @param payload the payload octets
   * @return the frame's octets
   */
  public static byte[] encode(int type, int flags, int streamId, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    System.arraycopy(Bytes.frameHead(payload.length, type, flags, streamId), 0, f, 0, 9);
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  /**
   * ErrorCode returns the error code of an RST_STREAM or GOAWAY frame.
   *
   * @return the code
   * @throws IllegalStateException for other frame types
   */
  public int errorCode() {
    if (type == RST_STREAM) {
      return int32(0);
    }
    if (type == GOAWAY) {
      return int32(4);
    }
    throw new IllegalStateException("no error code in frame type " + type);
  }

  /**
   * Increment returns the window increment of a WINDOW_UPDATE frame.
   *
   * @return the increment
   */
  public int increment() {
    return int32(0) & 0x7fffffff;
  }

  /**
   * HasFlag tells whether {@code flag} is set.
   *
   * @param flag e.g. {@link #END_STREAM}
   * @return true if set
   */
  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /**
   * ToString describes the frame for failure messages, e.g. {@code RST_STREAM(3) stream=1 conn=0}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return name(type) + " stream=" + streamId + " flags=0x" + Integer.toHexString(flags) + " conn="
        + connection + " payload=" + (payload.length > 32
            ? payload.length + " octets" : HexFormat.of().formatHex(payload));
  }

  static String name(int type) {
    String[] names = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
      "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"};
    return type < names.length ? names[type] : "UNKNOWN(" + type + ")";
  }

  private int int32(int i) {
    return ((payload[i] & 0xff) << 24) | ((payload[i + 1] & 0xff) << 16)
        | ((payload[i + 2] & 0xff) << 8) | (payload[i + 3] & 0xff);
  }
}
