package dev.roundtrip.testserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** RawClient is a plain-socket HTTP client for the server's tests: it sends and reads bytes. */
final class RawClient implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawClient(TestServer server) throws IOException {
    this(connect(server));
  }

  /** Wraps a connected socket (e.g. an SSLSocket). */
  RawClient(Socket connected) throws IOException {
    this.socket = connected;
    socket.setSoTimeout(5000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  private static Socket connect(TestServer server) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
    return s;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  /** Sends {@code latin1} in one write. */
  RawClient send(String latin1) throws IOException {
    out.write(latin1.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads exactly {@code n} bytes. */
  String readN(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("EOF after " + b.length + " of " + n + " bytes: " + latin1(b));
    }
    return latin1(b);
  }

  /** Reads a head, through the empty line. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      String s = latin1(head.toByteArray());
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    throw new IOException("EOF inside a head: " + latin1(head.toByteArray()));
  }

  /** Reads a response framed by Content-Length (none: no body); returns head and body. */
  String readResponse() throws IOException {
    String head = readHead();
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + readN(length);
  }

  /** Reads everything until the server closes. */
  String readUntilEof() throws IOException {
    return latin1(in.readAllBytes());
  }

  /** Reads one byte: -1 at end of stream. */
  int read() throws IOException {
    return in.read();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
