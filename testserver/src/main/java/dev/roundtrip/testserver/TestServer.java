package dev.roundtrip.testserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * TestServer is a scripted loopback HTTP/1.1 server for tests: it records every request (bytes,
 * headers, body, which TCP connection) and answers each with the next {@link ScriptedResponse}
 * of its queue, else its dispatcher, else {@code 200 OK} with body {@code ok}.
 *
 * <p>Lifecycle: {@link #start()} binds an ephemeral port on {@code 127.0.0.1} and starts one
 * acceptor thread; each accepted connection gets its own thread (virtual when available) that
 * serves requests in a keep-alive loop; {@link #close()} stops accepting, closes every
 * connection and joins the threads within about 2 s. Use with try-with-resources.
 *
 * <p>Thread-safe: the test thread scripts and inspects while connection threads serve.
 */
public final class TestServer implements AutoCloseable {
  /** DEFAULT_TAKE_TIMEOUT is how long {@link #takeRequest()} waits: 10 s. */
  public static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final long CLOSE_JOIN_MILLIS = 2000;

  private final Options options;
  private final ServerSocket serverSocket;
  private final boolean tls;
  private final Script script;
  private final ThreadFactory connectionThreads;
  private final Thread acceptor;
  private final Connections<Connection> connections = new Connections<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestServer(ServerSocket serverSocket, Options options, boolean tls) {
    this.serverSocket = serverSocket;
    this.options = options;
    this.tls = tls;
    this.script = new Script(options);
    this.connectionThreads = ConnectionThreads.create(options.useVirtualThreads());
    this.acceptor = Listening.startAcceptor(this::acceptLoop, "testserver-acceptor-" + port());
  }

  /**
   * Start starts a plain HTTP server on {@code 127.0.0.1} and an ephemeral port, with {@link
   * Options#defaults()}.
   *
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static TestServer start() throws IOException {
    return start(Options.defaults());
  }

  /**
   * Start starts a plain HTTP server on an ephemeral port with the given options.
   *
   * @param options the options
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static TestServer start(Options options) throws IOException {
    return new TestServer(Listening.bind(options.bindAddress()), options, false);
  }

  /**
   * StartTls starts an HTTPS server (server-side TLS with {@code ctx}'s key material) on {@code
   * 127.0.0.1} and an ephemeral port, with {@link Options#defaults()}. The handshake runs on the
   * connection's thread; a failed handshake just closes the connection.
   *
   * @param ctx an initialized context holding the server certificate
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static TestServer startTls(SSLContext ctx) throws IOException {
    return startTls(ctx, Options.defaults());
  }

  /**
   * StartTls starts an HTTPS server with the given options; see {@link #startTls(SSLContext)}.
   *
   * @param ctx an initialized context holding the server certificate
   * @param options the options
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static TestServer startTls(SSLContext ctx, Options options) throws IOException {
    ServerSocket s = ctx.getServerSocketFactory().createServerSocket(0, 1024,
        options.bindAddress());
    return new TestServer(s, options, true);
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
   * Host returns the address the server listens on as a URI host would hold it without brackets:
   * {@code 127.0.0.1}, or {@code ::1}.
   *
   * @return the host
   */
  public String host() {
    return Listening.host(options.bindAddress());
  }

  /**
   * Url returns the URI of {@code pathAndQuery} on this server, e.g. {@code
   * http://127.0.0.1:PORT/path} ({@code https} with TLS, {@code [::1]} for IPv6).
   *
   * @param pathAndQuery the path and optional query, starting with {@code /}
   * @return the URI
   * @throws IllegalArgumentException if {@code pathAndQuery} does not start with {@code /}
   */
  public URI url(String pathAndQuery) {
    return Listening.url(tls ? "https" : "http", options.bindAddress(), port(), pathAndQuery);
  }

  /**
   * Enqueue appends {@code r} to the script: each request takes the response at the head of the
   * queue (FIFO, across all connections, in the order requests finish arriving).
   *
   * @param r the response
   * @return this server, for chaining
   */
  public TestServer enqueue(ScriptedResponse r) {
    if (r == null) {
      throw new IllegalArgumentException("null response");
    }
    script.enqueue(r);
    return this;
  }

  /**
   * SetDispatcher sets the function that answers requests while the script queue is empty; it
   * runs on connection threads, possibly concurrently. Null (and a null answer) means the
   * default: {@code 200 OK} with {@code Content-Length: 2} and body {@code ok}. A dispatcher that
   * throws gets its request answered with 500 and the connection closed.
   *
   * @param d the dispatcher, or null
   */
  public void setDispatcher(Function<RecordedRequest, ScriptedResponse> d) {
    script.setDispatcher(d);
  }

  /**
   * TakeRequest returns the oldest recorded request not yet taken, waiting up to {@link
   * #DEFAULT_TAKE_TIMEOUT}.
   *
   * @return the request
   * @throws InterruptedException if interrupted while waiting
   * @throws AssertionError if no request arrives within 10 s
   */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest r = takeRequest(DEFAULT_TAKE_TIMEOUT);
    if (r == null) {
      throw new AssertionError("no request within 10s");
    }
    return r;
  }

  /**
   * TakeRequest returns the oldest recorded request not yet taken, or null if none arrives
   * within {@code timeout}.
   *
   * @param timeout how long to wait; zero to only look
   * @return the request or null
   * @throws InterruptedException if interrupted while waiting
   */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    return script.take(timeout);
  }

  /**
   * RequestCount returns how many requests were fully read so far (taken or not).
   *
   * @return the count
   */
  public int requestCount() {
    return script.requestCount();
  }

  /**
   * AcceptedConnections returns how many TCP connections were accepted so far.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return connections.acceptedCount();
  }

  /**
   * OpenConnections returns how many accepted connections the server has not closed yet (a
   * connection the client closed counts until the server notices the end of stream).
   *
   * @return the count
   */
  public int openConnections() {
    return connections.openCount();
  }

  /**
   * ClientPorts returns the remote ports of the accepted connections, in accept order.
   *
   * @return a new list
   */
  public List<Integer> clientPorts() {
    return connections.clientPorts();
  }

  /**
   * CloseIdleConnections closes (FIN) every connection that is between requests: waiting for
   * the first byte of its next request, or of its first. Connections reading a request,
   * answering, or stalled are left alone.
   */
  public void closeIdleConnections() {
    for (Connection c : connections.open()) {
      c.closeIfIdle();
    }
  }

  /**
   * AwaitOpenConnections waits until {@link #openConnections()} equals {@code n}.
   *
   * @param n the expected number of open connections
   * @param timeout how long to wait
   * @return true if reached, false on timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitOpenConnections(int n, Duration timeout) throws InterruptedException {
    return connections.awaitOpen(n, timeout.toNanos());
  }

  /**
   * Close stops accepting, closes every connection and waits for the server's threads, at most
   * about 2 s in all. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      connections.shutDown(serverSocket, acceptor, CLOSE_JOIN_MILLIS);
    }
  }

  /**
   * ToString returns the server's URL and counters, for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "TestServer{" + url("/") + ", requests=" + requestCount() + ", accepted="
        + acceptedConnections() + ", open=" + openConnections() + (closed.get() ? ", closed" : "")
        + "}";
  }

  /** Tells whether connection threads are virtual (for tests). */
  boolean usesVirtualThreads() {
    return ConnectionThreads.isVirtual(connectionThreads.newThread(() -> { }));
  }

  private void acceptLoop() {
    connections.acceptLoop(serverSocket, closed::get,
        (socket, index) -> new Connection(connections, script, options, socket, index),
        connectionThreads);
  }
}
