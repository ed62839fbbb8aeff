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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
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
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final MiniHpack hpack = new MiniHpack();
  private OutputStream out;
  // guarded by lock
  private final Map<Integer, ServerStream> streams = new HashMap<>();
  private final List<H2Request> requests = new ArrayList<>();
  private long connectionWindow = 65535;
  private long clientInitialWindow = 65535;
  private int clientMaxFrameSize = 16384;
  private int openStreams;
  private int startedStreams;
  private boolean closed;
  private volatile String alpn = "";

  H2Connection(H2TestServer server, Socket socket, int index, H2Options options) {
    this.server = server;
    this.socket = socket;
    this.index = index;
    this.options = options;
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
    lock.lock();
    try {
      return new ArrayList<>(requests);
    } finally {
      lock.unlock();
    }
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
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (startedStreams < n) {
        if (left <= 0 || closed) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
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
    lock.lock();
    try {
      ServerStream s = streams.get(streamId);
      if (s != null) { // done before the frame leaves: the client may reuse the slot at once
        s.reset = true;
        finishLocked(s);
      }
    } finally {
      lock.unlock();
    }
    byte[] p = new byte[4];
    Bytes.putInt(p, 0, errorCode);
    sendFrame(H2Frame.RST_STREAM, 0, streamId, p);
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
    byte[] f = new byte[9 + payload.length];
    System.arraycopy(Bytes.frameHead(payload.length, type, flags, streamId), 0, f, 0, 9);
    System.arraycopy(payload, 0, f, 9, payload.length);
    sendRaw(f);
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

  /** Close closes the connection (FIN). Idempotent. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
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
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
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
      new FrameLoop(this, in, options).run();
    } catch (IOException e) {
      // the connection ended
    } finally {
      close();
    }
  }

  // --- called by FrameLoop on the connection thread ---

  H2TestServer server() {
    return server;
  }

  MiniHpack hpack() {
    return hpack;
  }

  void record(int type, int flags, int streamId, byte[] payload) {
    server.record(new H2Frame(index, type, flags, streamId, payload));
  }

  /** Applies the client's SETTINGS to the server's send side. */
  void clientSettings(byte[] p) {
    lock.lock();
    try {
      for (int i = 0; i + 6 <= p.length; i += 6) {
        int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        long v = Bytes.int32(p, i + 2) & 0xffffffffL;
        if (id == 4) {
          for (ServerStream st : streams.values()) {
            st.sendWindow += v - clientInitialWindow;
          }
          clientInitialWindow = v;
        } else if (id == 5) {
          clientMaxFrameSize = (int) v;
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void windowUpdate(int streamId, int increment) {
    lock.lock();
    try {
      if (streamId == 0) {
        connectionWindow += increment;
      } else if (streams.containsKey(streamId)) {
        streams.get(streamId).sendWindow += increment;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Opens a stream for a new request; returns null if it was refused (RST sent). */
  ServerStream open(int streamId, List<String[]> headers) throws IOException {
    boolean overLimit;
    lock.lock();
    try {
      overLimit = openStreams >= options.maxConcurrentStreams();
    } finally {
      lock.unlock();
    }
    if (overLimit) {
      server.countViolation();
    }
    if (overLimit || server.takeRefusal()) {
      byte[] p = new byte[4];
      Bytes.putInt(p, 0, 7); // REFUSED_STREAM
      sendFrame(H2Frame.RST_STREAM, 0, streamId, p);
      return null;
    }
    lock.lock();
    try {
      ServerStream s = new ServerStream(streamId, headers, clientInitialWindow);
      streams.put(streamId, s);
      openStreams++;
      startedStreams++;
      changed.signalAll();
      return s;
    } finally {
      lock.unlock();
    }
  }

  ServerStream stream(int streamId) {
    lock.lock();
    try {
      return streams.get(streamId);
    } finally {
      lock.unlock();
    }
  }

  void clientReset(int streamId) {
    lock.lock();
    try {
      ServerStream s = streams.get(streamId);
      if (s != null) {
        s.reset = true;
        finishLocked(s);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Records the complete request of {@code s} and starts its handler. */
  void dispatch(ServerStream s) {
    H2Request r;
    lock.lock();
    try {
      r = new H2Request(index, clientPort(), s.id, List.copyOf(s.headers), s.body.toByteArray(),
          List.copyOf(s.trailers));
      requests.add(r);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    server.dispatch(new H2Exchange(this, s, r));
  }

  // --- called by exchanges ---

  /** Sends a header block as HEADERS and CONTINUATION frames. */
  void sendHeaders(ServerStream s, byte[] block, boolean endStream) throws IOException {
    int max;
    lock.lock();
    try {
      max = clientMaxFrameSize;
    } finally {
      lock.unlock();
    }
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
      ended(s); // before the frame leaves: the client may reuse the slot at once
    }
    sendRaw(frames.toByteArray());
  }

  /** Sends {@code data} as DATA frames within the client's windows (unless {@code ignore}). */
  void sendData(ServerStream s, byte[] data, int frameSize, boolean endStream, boolean ignore)
      throws IOException, InterruptedException {
    int off = 0;
    do {
      int n;
      lock.lock();
      try {
        while (!ignore && data.length > 0 && Math.min(connectionWindow, s.sendWindow) <= 0) {
          if (closed || s.reset) {
            throw new IOException("stream " + s.id + " was reset or its connection closed");
          }
          changed.await(100, TimeUnit.MILLISECONDS);
        }
        n = Math.min(data.length - off, ignore ? frameSize
            : (int) Math.min(Math.min(frameSize, clientMaxFrameSize), Math.min(connectionWindow, s.sendWindow)));
        if (!ignore) {
          connectionWindow -= n;
          s.sendWindow -= n;
        }
      } finally {
        lock.unlock();
      }
      boolean last = endStream && off + n == data.length;
      if (last) {
        ended(s); // before the frame leaves: the client may reuse the slot at once
      }
      byte[] payload = Arrays.copyOfRange(data, off, off + n);
      sendFrame(H2Frame.DATA, last ? H2Frame.END_STREAM : 0, s.id, payload);
      off += n;
    } while (off < data.length);
  }

  private void ended(ServerStream s) {
    lock.lock();
    try {
      finishLocked(s);
    } finally {
      lock.unlock();
    }
  }

  private void finishLocked(ServerStream s) {
    if (!s.done) {
      s.done = true;
      openStreams--;
    }
    changed.signalAll();
  }
}
