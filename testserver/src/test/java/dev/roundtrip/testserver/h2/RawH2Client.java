package dev.roundtrip.testserver.h2;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RawH2Client speaks HTTP/2 frame by frame to the server under test, with a 5 s read timeout. */
final class RawH2Client implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final MiniHpack hpack = new MiniHpack();

  RawH2Client(H2TestServer server) throws IOException {
    this(connect(server));
  }

  RawH2Client(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    frame(H2Frame.SETTINGS, 0, 0, new byte[0]);
  }

  private static Socket connect(H2TestServer server) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
    return s;
  }

  void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    out.write(Bytes.frameHead(payload.length, type, flags, streamId));
    out.write(payload);
    out.flush();
  }

  /** Sends a GET for {@code path} on {@code streamId}, END_STREAM set. */
  void get(int streamId, String path) throws IOException {
    frame(H2Frame.HEADERS, H2Frame.END_STREAM | H2Frame.END_HEADERS, streamId, MiniHpack.encode(List.of(
        new String[] {":method", "GET"}, new String[] {":scheme", "http"},
        new String[] {":authority", "localhost"}, new String[] {":path", path})));
  }

  /** Reads the next frame (the connection index is -1). */
  H2Frame read() throws IOException {
    byte[] h = in.readNBytes(9);
    if (h.length < 9) {
      throw new IOException("end of stream");
    }
    int len = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
    return new H2Frame(-1, h[3] & 0xff, h[4] & 0xff, Bytes.int32(h, 5), in.readNBytes(len));
  }

  /** Reads frames until one of {@code type} arrives, skipping others. */
  H2Frame readUntil(int type) throws IOException {
    for (int i = 0; i < 10_000; i++) {
      H2Frame f = read();
      if (f.type() == type) {
        return f;
      }
    }
    throw new IOException("no frame of type " + type);
  }

  /** Decodes a HEADERS payload (END_HEADERS, unpadded). */
  List<String[]> decode(H2Frame f) throws IOException {
    return hpack.decode(f.payload());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
