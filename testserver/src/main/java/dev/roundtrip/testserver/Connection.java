package dev.roundtrip.testserver;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Connection serves one accepted socket on its own thread.
 *
 * <p>Lifecycle, in order:
 *
 * <ol>
 *   <li>TLS only: the handshake.
 *   <li>Keep-alive loop, once per request: a {@code disconnectAtStart} at the head of the script
 *       closes the connection here; otherwise wait for the first byte (the previous response's
 *       idle timer runs here); read the head; {@code 100 Continue} if asked; read the body;
 *       record the request; pick and write the response. From the end of one response (or the
 *       accept) to the first byte of the next request the connection is {@link #IDLE}, the only
 *       state in which {@link TestServer#closeIdleConnections()} closes it.
 *   <li>Close: after a response that closes, HTTP/1.0 or {@code Connection: close}, a malformed
 *       request (400, 431, 505), end of stream, or an I/O error. The server sends FIN first; if
 *       unread request bytes remain it drains them for a moment, so that the client reads the
 *       response rather than a reset. {@code resetAfter} sends RST instead.
 * </ol>
 *
 * <p>Normal disconnects (end of stream, reset, the server closing the socket) end the thread
 * silently.
 */
final class Connection extends Connections.Member {
  /** Reading a request, or about to answer it. */
  static final int BUSY = 0;
  /** Writing a response: closeIdleConnections closes the connection once it is IDLE. */
  static final int RESPONDING = 1;
  /** Between requests. */
  static final int IDLE = 2;
  static final int CLOSED = 3;

  private static final byte[] CONTINUE_100 =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] TIMEOUT_408 =
      "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1);
  private static final long LINGER_MILLIS = 250;

  private final Connections<Connection> connections;
  private final Script script;
  private final Options options;
  private final Socket socket;
  private final int index;
  private final int clientPort;
  /**
   * BUSY, RESPONDING, IDLE or CLOSED; other threads only move IDLE (or anything, on server
   * close) to CLOSED. A new plain connection starts IDLE; a TLS one after its handshake.
   */
  private final AtomicInteger phase;
  /**
   * Set by closeIdleConnections on a RESPONDING connection: close on reaching IDLE. Checked after
   * the phase is set to IDLE, and set before the phase is read, so one side always sees it.
   */
  private volatile boolean closeWhenIdle;
  /** Set when the close begins (and the server stops counting the connection as open). */
  private final AtomicBoolean closed = new AtomicBoolean();

  // Owned by the connection's thread.
  private RequestReader reader;
  private OutputStream out;
  private int sequence;
  private Duration idleTimeout;
  private boolean idle408;
  private boolean reset;

  Connection(Connections<Connection> connections, Script script, Options options, Socket socket, int index) {
    this.connections = connections;
    this.script = script;
    this.options = options;
    this.socket = socket;
    this.index = index;
    this.clientPort = socket.getPort();
    this.phase = new AtomicInteger(socket instanceof SSLSocket ? BUSY : IDLE);
  }

  @Override
  public void run() {
    try {
      if (socket instanceof SSLSocket) {
        ((SSLSocket) socket).startHandshake();
        if (!phase.compareAndSet(BUSY, IDLE)) {
          return; // closed during the handshake
        }
      }
      InputStream in = socket.getInputStream();
      out = socket.getOutputStream();
      reader = new RequestReader(in, options.maxRequestHeadBytes());
      while (serveOne()) {
        // next request
      }
    } catch (EOFException | SocketException | SSLException | InterruptedException e) {
      // Client went away, or the server closed the socket: normal, stay silent.
    } catch (IOException e) {
      if (!closed.get()) {
        System.err.println("testserver: connection " + index + ": " + e);
      }
    } catch (RuntimeException | Error e) {
      if (!closed.get()) {
        System.err.println("testserver: connection " + index + " failed");
        e.printStackTrace();
      }
    } finally {
      finish();
      connections.threadDone(this);
    }
  }

  /** Serves one request; returns false when the connection is to be closed. */
  private boolean serveOne() throws IOException, InterruptedException {
    if (script.pollIf(ResponseSpec.Kind.DISCONNECT_AT_START) != null) {
      return false;
    }
    reader.startMessage();
    if (reader.hasBuffered()) {
      idleTimeout = null; // pipelined: the next request is here already
      if (!phase.compareAndSet(IDLE, BUSY)) {
        return false; // closed by closeIdleConnections
      }
    } else if (!awaitRequest()) {
      return false;
    }
    RequestHead head;
    try {
      head = reader.readHead();
    } catch (BadRequestException e) {
      writeError(e.status, e.getMessage());
      return false;
    }
    if (head == null) {
      return false;
    }
    // disconnectAtStart enqueued while this connection was already waiting: close now.
    if (script.pollIf(ResponseSpec.Kind.DISCONNECT_AT_START) != null) {
      return false;
    }
    int seq = sequence++;
    boolean headRequest = head.method.equals("HEAD");
    if (head.expectContinue) {
      ResponseSpec early = script.pollNoContinue();
      if (early != null) { // final response first, body read and discarded afterwards
        script.record(new RecordedRequest(head, new byte[0], 0, List.of(), clientPort, index, seq));
        if (!respond(early, headRequest) || head.closeAfter) {
          return false;
        }
        return readBody(head, false, new ArrayList<>()) != null && idle();
      }
      out.write(CONTINUE_100);
      out.flush();
    }
    List<String[]> trailers = head.chunked ? new ArrayList<>(2) : List.of();
    byte[] body = readBody(head, options.recordBodies(), trailers);
    if (body == null) {
      return false;
    }
    RecordedRequest request =
        new RecordedRequest(head, body, reader.bodyBytes(), trailers, clientPort, index, seq);
    ResponseSpec response;
    try {
      response = script.responseFor(request);
    } catch (RuntimeException e) {
      script.record(request);
      System.err.println("testserver: dispatcher failed for " + request);
      e.printStackTrace();
      writeError(500, "dispatcher failed: " + e);
      return false;
    }
    // Recorded once its response is chosen: when takeRequest returns, the script entry is taken.
    script.record(request);
    return respond(response, headRequest) && !head.closeAfter && idle();
  }

  /**
   * Marks the connection idle once a request is fully answered, so that closeIdleConnections
   * right after the client read a response finds it; false when it was closed meanwhile.
   */
  private boolean idle() {
    if (!phase.compareAndSet(RESPONDING, IDLE) && !phase.compareAndSet(BUSY, IDLE)) {
      return false;
    }
    return !closeWhenIdle;
  }

  /** Waits for the first byte of a request; false when the connection is to be closed. */
  private boolean awaitRequest() throws IOException {
    Duration timeout = idleTimeout;
    idleTimeout = null;
    boolean data;
    if (timeout == null) {
      data = reader.fillIfEmpty();
    } else {
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      try {
        data = reader.fillIfEmpty();
      } catch (SocketTimeoutException e) {
        if (idle408 && phase.compareAndSet(IDLE, BUSY)) {
          out.write(TIMEOUT_408);
          out.flush();
        }
        return false;
      }
      socket.setSoTimeout(0);
    }
    // Lost the race against closeIdleConnections: the socket is closed.
    return data && phase.compareAndSet(IDLE, BUSY);
  }

  /** Reads the body; null when the request was malformed (answered with an error). */
  private byte[] readBody(RequestHead head, boolean record, List<String[]> trailers)
      throws IOException {
    try {
      return reader.readBody(head, record, trailers);
    } catch (BadRequestException e) {
      writeError(e.status, e.getMessage());
      return null;
    }
  }

  /** Carries out {@code r}; returns false when the connection is to be closed. */
  private boolean respond(ResponseSpec r, boolean headRequest)
      throws IOException, InterruptedException {
    switch (r.kind) {
      case DISCONNECT_AT_START: // returned by a dispatcher: the request is read already
        return false;
      case DISCONNECT_AFTER_REQUEST:
        ResponseWriter.sleep(r.delay);
        return false;
      case STALL:
        reader.discardUntilEof();
        return false;
      default:
        ResponseWriter.sleep(r.delay);
        if (!phase.compareAndSet(BUSY, RESPONDING)) {
          return false;
        }
        ResponseWriter.write(r, out, headRequest);
        if (r.resetAfter) {
          reset = true;
          return false;
        }
        if (r.closesConnection()) {
          return false;
        }
        idleTimeout = r.idleTimeout;
        idle408 = r.idle408;
        return true;
    }
  }

  private void writeError(int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] head = ("HTTP/1.1 " + status + " " + Http.reason(status) + "\r\n"
        + "Connection: close\r\nContent-Type: text/plain\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] response = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, response, head.length, body.length);
    out.write(response); // one write
    out.flush();
  }

  /**
   * Closes the socket (FIN) if the connection is between requests, or once it is if it is writing
   * a response now; called by other threads.
   */
  void closeIfIdle() {
    if (phase.get() == RESPONDING) {
      closeWhenIdle = true;
    }
    if (phase.compareAndSet(IDLE, CLOSED)) {
      close();
    }
  }

  /** Closes the socket now (FIN, then close); called by other threads. Idempotent. */
  @Override
  void close() {
    phase.set(CLOSED);
    deregister();
    shutdownOutput();
    closeQuietly();
  }

  /** Closes at the end of the connection's own thread: RST, or FIN plus a short drain. */
  private void finish() {
    phase.set(CLOSED);
    if (!deregister()) {
      closeQuietly(); // closed by another thread
      return;
    }
    try {
      if (reset) {
        socket.setSoLinger(true, 0);
      } else {
        shutdownOutput();
        boolean unread = reader != null && reader.hasBuffered()
            || !(socket instanceof SSLSocket) && socket.getInputStream().available() > 0;
        if (unread) {
          // Closing with unread input would send RST and could destroy the response in flight.
          socket.setSoTimeout((int) LINGER_MILLIS);
          long end = System.nanoTime() + LINGER_MILLIS * 1_000_000;
          InputStream in = socket.getInputStream();
          byte[] scratch = new byte[8192];
          while (System.nanoTime() < end && in.read(scratch) >= 0) {
            // discard
          }
        }
      }
    } catch (IOException e) {
      // closing anyway
    }
    closeQuietly();
  }

  /**
   * Counts the connection as closed, once. Done before the FIN or RST goes out, so that a client
   * that sees the close also sees {@link TestServer#openConnections()} without it.
   */
  private boolean deregister() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    connections.closed(this);
    return true;
  }

  private void shutdownOutput() {
    if (!(socket instanceof SSLSocket) && !socket.isClosed()) {
      try {
        socket.shutdownOutput();
      } catch (IOException e) {
        // already shut down or reset
      }
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
