package dev.roundtrip.testserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HostileServer is a loopback HTTP/1.1 server that misbehaves on request, for fault soaks: each
 * request names a {@link Fault} in its {@value #FAULT_HEADER} header and is answered that way.
 * It proves that a client survives servers that close, reset, stall, send garbage or bytes
 * nobody asked for, at every point of an exchange, and lets the client check that whatever it
 * returned as a success is the right answer, whole.
 *
 * <p>The conversation:
 *
 * <ul>
 *   <li>The request carries {@value #REQUEST_ID_HEADER} (an id, printable ASCII without {@code
 *       >}), {@value #FAULT_HEADER} (a {@link Fault} name; none means {@link Fault#NONE}; an
 *       unknown name gets {@code 400}) and {@value #BODY_SIZE_HEADER} (the body size to answer
 *       with, at most {@link #MAX_BODY_BYTES}; none means 0). It may have a body of any framing.
 *   <li>Every answer meant to be read is a {@code 200} carrying {@value #REQUEST_ID_HEADER} with
 *       the request's id, {@value #FAULT_HEADER}, {@value #REQUEST_BODY_CRC_HEADER} (the CRC-32
 *       of the request body as received, in hex; absent when the body was not read first), and
 *       the {@link Payload} of the id as its body.
 *   <li>Unsolicited extra responses and 408s carry {@value #UNSOLICITED_HEADER} with the
 *       sequence number of their {@link UnsolicitedWrite} in {@link #unsolicitedWrites()}.
 * </ul>
 *
 * <p>Lifecycle: {@link #start()} binds an ephemeral port on {@code 127.0.0.1} and starts one
 * acceptor thread; each connection gets its own thread (virtual when available), which ends
 * with the connection; every wait of the server is bounded (at most 30 s, for a stall whose
 * client never gives up). {@link #close()} closes every connection and joins the threads
 * within about 2 s. Thread-safe.
 */
public final class HostileServer implements AutoCloseable {
  /** REQUEST_ID_HEADER carries the request id, both ways. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  /** FAULT_HEADER names the {@link Fault} to answer with. */
  public static final String FAULT_HEADER = "X-Fault";
  /** BODY_SIZE_HEADER asks for the size of the answer's body, in bytes. */
  public static final String BODY_SIZE_HEADER = "X-Body-Size";
  /** REQUEST_BODY_CRC_HEADER carries the CRC-32 of the request body the server read, in hex. */
  public static final String REQUEST_BODY_CRC_HEADER = "X-Request-Body-Crc32";
  /** UNSOLICITED_HEADER carries the sequence number of an unsolicited response. */
  public static final String UNSOLICITED_HEADER = "X-Unsolicited";
  /** MAX_BODY_BYTES bounds the body size a request may ask for: 16 MiB. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final long CLOSE_JOIN_MILLIS = 2000;

  private final Options options;
  private final ServerSocket serverSocket;
  private final ThreadFactory connectionThreads;
  private final Connections<HostileConnection> connections = new Connections<>();
  private final HostileLog log = new HostileLog();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread acceptor;

  private HostileServer(ServerSocket serverSocket, Options options) {
    this.serverSocket = serverSocket;
    this.options = options;
    this.connectionThreads = ConnectionThreads.create(options.useVirtualThreads());
    this.acceptor = Listening.startAcceptor(this::acceptLoop, "hostile-acceptor-" + port());
  }

  /**
   * Start starts a server on {@code 127.0.0.1} and an ephemeral port with {@link
   * Options#defaults()}.
   *
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static HostileServer start() throws IOException {
    return start(Options.defaults());
  }

  /**
   * Start starts a server with {@code options}: its bind address, thread kind and request head
   * limit apply; the recording and fast-path options do not.
   *
   * @param options the options
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static HostileServer start(Options options) throws IOException {
    return new HostileServer(Listening.bind(options.bindAddress()), options);
  }

  /**
   * Port returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Url returns {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery} ({@code [::1]} for
   * IPv6).
   *
   * @param pathAndQuery the path and optional query, starting with {@code /}
   * @return the URI
   * @throws IllegalArgumentException if {@code pathAndQuery} does not start with {@code /}
   */
  public URI url(String pathAndQuery) {
    return Listening.url("http", options.bindAddress(), port(), pathAndQuery);
  }

  /**
   * RequestCount returns how many request heads the server read.
   *
   * @return the count
   */
  public long requestCount() {
    return log.requests();
  }

  /**
   * AcceptedConnections returns how many connections were accepted.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return connections.acceptedCount();
  }

  /**
   * OpenConnections returns how many accepted connections are not closed yet.
   *
   * @return the count
   */
  public int openConnections() {
    return connections.openCount();
  }

  /**
   * RunningThreads returns how many connection threads have not ended; 0 after {@link #close()}
   * unless a thread failed to stop (a leak of the server itself).
   *
   * @return the count
   */
  public int runningThreads() {
    return connections.runningCount();
  }

  /**
   * AwaitOpenConnections waits until {@link #openConnections()} equals {@code n}.
   *
   * @param n the expected count
   * @param timeout how long to wait
   * @return true if reached, false on timeout
   * @throws InterruptedException if interrupted
   */
  public boolean awaitOpenConnections(int n, Duration timeout) throws InterruptedException {
    return connections.awaitOpen(n, timeout.toNanos());
  }

  /**
   * UnsolicitedWrites returns every unsolicited write so far, by sequence number.
   *
   * @return a new list
   */
  public List<UnsolicitedWrite> unsolicitedWrites() {
    return log.writes();
  }

  /**
   * UnsolicitedWrite returns the write with sequence number {@code sequence}, or null.
   *
   * @param sequence the number, as in {@value #UNSOLICITED_HEADER}
   * @return the write or null
   */
  public UnsolicitedWrite unsolicitedWrite(long sequence) {
    return log.write(sequence);
  }

  /**
   * Violations returns what clients did that HTTP/1.1 forbids, as seen so far.
   *
   * @return a new list
   */
  public List<ClientViolation> violations() {
    return log.violations();
  }

  /**
   * Close stops accepting, closes every connection and waits for the threads, at most about
   * 2 s. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      connections.shutDown(serverSocket, acceptor, CLOSE_JOIN_MILLIS);
    }
  }

  /**
   * ToString returns the URL and counters, for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "HostileServer{" + url("/") + ", requests=" + requestCount() + ", accepted="
        + acceptedConnections() + ", open=" + openConnections() + (closed.get() ? ", closed" : "")
        + "}";
  }

  private void acceptLoop() {
    connections.acceptLoop(serverSocket, closed::get,
        (socket, index) -> new HostileConnection(connections, log, socket, index,
            options.maxRequestHeadBytes()),
        connectionThreads);
  }
}
