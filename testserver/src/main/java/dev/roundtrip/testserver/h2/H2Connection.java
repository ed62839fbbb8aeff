package dev.roundtrip.testserver.h2;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * H2Connection is one accepted HTTP/2 connection of an {@link H2TestServer}, as handlers and tests
 * see it: its requests, and the means to send any frame on it (GOAWAY, PING, RST_STREAM, raw
 * bytes) at any time.
 *
 * <p>Lifecycle, on the connection's own thread: TLS handshake (with ALPN {@code h2}) if any; read
 * the client preface; send the server's SETTINGS; then read frames until the end of stream,
 * recording each, acknowledging SETTINGS and PINGs (unless told not to), granting flow-control
 * credit for DATA, and starting a handler thread for each complete request. Frames are written
 * under a write lock by whichever thread sends them. Thread-safe.
 */
public final class H2Connection {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final H2TestServer server;
  private final Socket socket;
  private final int index;
  private final H2Options options;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ConnectionState state;
  private final MiniHpack hpack = new MiniHpack();
  private OutputStream out; // guarded by writeLock once run() set it
  private volatile String alpn = "";

  H2Connection(H2TestServer server, Socket socket, int index, H2Options options) {
    this.server = server;
    this.socket = socket;
    this.index = index;
    this.options = options;
    this.state = new ConnectionState(options.keepHistory());
  }

  /**
   * Index returns the connection's index, 0 for the first accepted.
   *
   * @return the index
   */
  public int index() {
    return index;
  }

  /**
   * ClientPort returns the client's port on this connection.
   *
   * @return the port
   */
  public int clientPort() {
    return socket.getPort();
  }

  /**
   * Alpn returns the protocol ALPN selected ({@code h2}), or an empty string for plain h2c.
   *
   * @return the protocol
   */
  public String alpn() {
    return alpn;
  }

  /**
   * Requests returns the complete requests received on this connection so far, in order.
   *
   * @return a new list
   */
  public List<H2Request> requests() {
    return state.requests();
  }

  /**
   * AwaitRequests waits until {@code n} streams have been opened on this connection (their
   * HEADERS arrived; refused ones excluded).
   *
   * @param n the number of streams
   * @param timeout how long to wait
   * @return true if reached, false on timeout or close
   * @throws InterruptedException if interrupted
   */
  public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
    return state.awaitStarted(n, timeout);
  }

  /**
   * GoAway sends a GOAWAY frame.
   *
   * @param lastStreamId the last stream id the server says it processed
   * @param errorCode e.g. 0 for NO_ERROR
   * @param debug debug data text
   * @throws IOException if the write fails
   */
  public void goAway(int lastStreamId, int errorCode, String debug) throws IOException {
    byte[] d = debug.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[8 + d.length];
    Bytes.putInt(p, 0, lastStreamId);
    Bytes.putInt(p, 4, errorCode);
    System.arraycopy(d, 0, p, 8, d.length);
    sendFrame(H2Frame.GOAWAY, 0, 0, p);
  }

  /**
   * Reset sends RST_STREAM on {@code streamId}.
   *
   * @param streamId the stream
   * @param errorCode the error code
   * @throws IOException if the write fails
   */
  public void reset(int streamId, int errorCode) throws IOException {
    state.reset(streamId); // done before the frame leaves: the client may reuse the slot at once
    byte[] p = new byte[4];
    Bytes.putInt(p, 0, errorCode);
    sendFrame(H2Frame.RST_STREAM, 0, streamId, p);
  }

  /**
   * Headers sends a header block (each field {@code {name, value}}, pseudo-headers first) on
   * {@code streamId} at any time, even before the request is complete: a {@code 100 (Continue)},
   * or a final response that does not wait for the request body. If the stream's HEADERS were
   * recorded but not yet processed, it waits for the stream to open ({@link
   * H2TestServer#DEFAULT_TAKE_TIMEOUT} at most).
   *
   * @param streamId the stream
   * @param fields the fields
   * @param endStream whether to set END_STREAM
   * @throws IOException if the write fails
   * @throws InterruptedException if interrupted while waiting for the stream
   */
  public void headers(int streamId, List<String[]> fields, boolean endStream)
      throws IOException, InterruptedException {
    sendHeaders(openStream(streamId), MiniHpack.encode(fields), endStream);
  }

  /**
   * Data sends {@code bytes} as DATA frames on {@code streamId} within the client's windows, at
   * any time (see {@link #headers}, also for the wait).
   *
   * @param streamId the stream
   * @param bytes the octets
   * @param endStream whether the last frame ends the stream
   * @throws IOException if the stream was reset or the connection closed
   * @throws InterruptedException if interrupted while waiting for credit
   */
  public void data(int streamId, byte[] bytes, boolean endStream) throws IOException, InterruptedException {
    sendData(openStream(streamId), bytes, 16384, endStream, false);
  }

  private ServerStream openStream(int streamId) throws InterruptedException {
    ServerStream s = state.awaitStream(streamId, H2TestServer.DEFAULT_TAKE_TIMEOUT);
    if (s == null) {
      throw new IllegalStateException("no stream " + streamId + " on connection " + index);
    }
    return s;
  }

  /**
   * SendFrame writes one frame as given, unchecked.
   *
   * @param type the frame type
   * @param flags the flags
   * @param streamId the stream id
   * @param payload the payload
   * @throws IOException if the write fails
   */
  public void sendFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
    sendRaw(H2Frame.encode(type, flags, streamId, payload));
  }

  /**
   * SendRaw writes {@code bytes} as they are and flushes.
   *
   * @param bytes the octets
   * @throws IOException if the write fails
   */
  public void sendRaw(byte[] bytes) throws IOException {
    writeLock.lock();
    try {
      if (out == null) {
        throw new IOException("connection not started");
      }
      out.write(bytes);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * PauseReading stops reading the connection (at the next frame boundary) until {@link
   * #resumeReading()} or close: a server that stops reading its socket, so that the client's
   * writes block once the socket buffers are full (see {@link H2Options#receiveBufferSize}).
   */
  public void pauseReading() {
    state.pauseReading(true);
  }

  /** ResumeReading resumes reading after {@link #pauseReading()}. */
  public void resumeReading() {
    state.pauseReading(false);
  }

  /** Close closes the connection (FIN). Idempotent. */
  public void close() {
    state.close();
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /**
   * IsClosed tells whether the connection was closed by either side.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return state.isClosed();
  }

  /** Serves the connection until it ends; runs on the connection's thread. */
  void run() {
    try {
      if (socket instanceof SSLSocket tls) {
        tls.startHandshake();
        alpn = tls.getApplicationProtocol() == null ? "" : tls.getApplicationProtocol();
      }
      InputStream in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
      if (options.silent()) {
        in.transferTo(OutputStream.nullOutputStream());
        return;
      }
      out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
      if (!Arrays.equals(in.readNBytes(PREFACE.length), PREFACE)) {
        return;
      }
      long[] s = options.settings();
      byte[] p = new byte[s.length / 2 * 6];
      for (int i = 0; i < s.length; i += 2) {
        p[i * 3] = (byte) (s[i] >>> 8);
        p[i * 3 + 1] = (byte) s[i];
        Bytes.putInt(p, i * 3 + 2, (int) s[i + 1]);
      }
      sendFrame(H2Frame.SETTINGS, 0, 0, p);
      if (options.connectionWindow() > 65535) {
        byte[] inc = new byte[4];
        Bytes.putInt(inc, 0, options.connectionWindow() - 65535);
        sendFrame(H2Frame.WINDOW_UPDATE, 0, 0, inc);
      }
      new FrameLoop(this, in, options).run();
    } catch (IOException e) {
      // the connection ended
    } finally {
      close();
    }
  }

  // --- called by FrameLoop on the connection thread ---

  /** Waits while reading is paused. */
  void awaitReading() throws IOException {
    try {
      state.awaitReading();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading is paused");
    }
  }

  H2TestServer server() {
    return server;
  }

  MiniHpack hpack() {
    return hpack;
  }

  void record(int type, int flags, int streamId, byte[] payload) {
    if (options.keepHistory()) {
      server.record(new H2Frame(index, type, flags, streamId, payload));
    }
  }

  /** Applies the client's SETTINGS to the server's send side. */
  void clientSettings(byte[] p) {
    state.clientSettings(p);
  }

  void windowUpdate(int streamId, int increment) {
    state.windowUpdate(streamId, increment);
  }

  /** Opens a stream for a new request; returns null if it was refused (RST sent). */
  ServerStream open(int streamId, List<String[]> headers) throws IOException {
    boolean overLimit = state.atLimit(options.maxConcurrentStreams());
    if (overLimit) {
      server.countViolation();
    }
    if (overLimit || server.takeRefusal()) {
      byte[] p = new byte[4];
      Bytes.putInt(p, 0, 7); // REFUSED_STREAM
      sendFrame(H2Frame.RST_STREAM, 0, streamId, p);
      return null;
    }
    return state.open(streamId, headers);
  }

  ServerStream stream(int streamId) {
    return state.stream(streamId);
  }

  void clientReset(int streamId) {
    state.reset(streamId);
  }

  /** Records the complete request of {@code s} and starts its handler. */
  void dispatch(ServerStream s) {
    H2Request r = state.complete(s, index, clientPort());
    server.dispatch(new H2Exchange(this, s, r));
  }

  // --- called by exchanges ---

  /** Sends a header block as HEADERS and CONTINUATION frames. */
  void sendHeaders(ServerStream s, byte[] block, boolean endStream) throws IOException {
    int max = state.clientMaxFrameSize();
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    int first = Math.min(block.length, max);
    frames.write(Bytes.frameHead(first, H2Frame.HEADERS, (endStream ? H2Frame.END_STREAM : 0)
        | (first == block.length ? H2Frame.END_HEADERS : 0), s.id));
    frames.write(block, 0, first);
    for (int off = first; off < block.length; off += max) {
      int n = Math.min(max, block.length - off);
      frames.write(Bytes.frameHead(n, H2Frame.CONTINUATION,
          off + n == block.length ? H2Frame.END_HEADERS : 0, s.id));
      frames.write(block, off, n);
    }
    if (endStream) {
      state.finish(s); // before the frame leaves: the client may reuse the slot at once
    }
    sendRaw(frames.toByteArray());
  }

  /** Sends {@code data} as DATA frames within the client's windows (unless {@code ignore}). */
  void sendData(ServerStream s, byte[] data, int frameSize, boolean endStream, boolean ignore)
      throws IOException, InterruptedException {
    int off = 0;
    do {
      int n = state.takeCredit(s, data.length - off, frameSize, ignore);
      boolean last = endStream && off + n == data.length;
      if (last) {
        state.finish(s); // before the frame leaves: the client may reuse the slot at once
      }
      byte[] payload = Arrays.copyOfRange(data, off, off + n);
      sendFrame(H2Frame.DATA, last ? H2Frame.END_STREAM : 0, s.id, payload);
      off += n;
    } while (off < data.length);
  }
}
