package dev.roundtrip.testserver.h2;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * H2TestServer is a scripted loopback HTTP/2 server for tests: plain with prior knowledge (h2c)
 * or TLS with ALPN {@code h2}. It records every frame clients send ({@link #frames()}) and every
 * request ({@link #takeRequest()}), and answers each request with the next {@link H2Handler} of
 * its queue, else its dispatcher, else {@code 200} with body {@code ok}. Connection-level faults
 * come from its {@link H2Options}; stream-level ones from {@link H2Response}; anything else from a
 * handler sending frames through {@link H2Connection}.
 *
 * <p>Lifecycle: {@link #start()} binds an ephemeral port and starts an acceptor thread; each
 * connection gets a daemon thread reading its frames, and each request a daemon thread running its
 * handler; {@link #close()} stops accepting and closes every connection. Use with
 * try-with-resources. Thread-safe.
 */
public final class H2TestServer implements AutoCloseable {
  /** DEFAULT_TAKE_TIMEOUT is how long {@link #takeRequest()} waits: 10 s. */
  public static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocket serverSocket;
  private final H2Options options;
  private final boolean tls;
  private final Thread acceptor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConcurrentLinkedQueue<H2Handler> queue = new ConcurrentLinkedQueue<>();
  private final LinkedBlockingQueue<H2Request> taken = new LinkedBlockingQueue<>();
  private final AtomicInteger refusalsLeft;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger violations = new AtomicInteger();
  private final AtomicInteger handlerThreads = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Thread> running = ConcurrentHashMap.newKeySet(); // connection and handler threads
  private final FrameLog frames = new FrameLog();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<H2Connection> connections = new ArrayList<>(); // guarded by lock
  private volatile H2Handler dispatcher;

  private H2TestServer(ServerSocket serverSocket, H2Options options, boolean tls) {
    this.serverSocket = serverSocket;
    this.options = options;
    this.tls = tls;
    this.refusalsLeft = new AtomicInteger(options.refuseStreams());
    this.acceptor = new Thread(this::acceptLoop, "h2testserver-acceptor-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Start starts a plain (h2c, prior knowledge) server with the default options.
   *
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static H2TestServer start() throws IOException {
    return start(H2Options.defaults());
  }

  /**
   * Start starts a plain (h2c, prior knowledge) server.
   *
   * @param options the options
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static H2TestServer start(H2Options options) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      if (options.receiveBufferSize() > 0) {
        s.setReceiveBufferSize(options.receiveBufferSize());
      }
      s.bind(new InetSocketAddress(options.bindAddress(), 0), 1024);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new H2TestServer(s, options, false);
  }

  /**
   * StartTls starts a TLS server that offers only {@code h2} by ALPN; the handshake runs on the
   * connection's thread.
   *
   * @param ctx an initialized context holding the server certificate
   * @param options the options
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static H2TestServer startTls(SSLContext ctx, H2Options options) throws IOException {
    SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1024,
        options.bindAddress());
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    s.setSSLParameters(p);
    return new H2TestServer(s, options, true);
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
   * Host returns the address the server listens on, e.g. {@code 127.0.0.1}.
   *
   * @return the host
   */
  public String host() {
    return options.bindAddress().getHostAddress();
  }

  /**
   * IsTls tells whether the server speaks TLS.
   *
   * @return true for TLS
   */
  public boolean isTls() {
    return tls;
  }

  /**
   * Enqueue appends {@code h} to the script: each complete request takes the handler at the head
   * of the queue (FIFO across connections, in the order requests complete).
   *
   * @param h the handler, e.g. an {@link H2Response}
   * @return this server
   */
  public H2TestServer enqueue(H2Handler h) {
    queue.add(h);
    return this;
  }

  /**
   * SetDispatcher sets the handler for requests while the queue is empty; null means {@code 200}
   * with body {@code ok}.
   *
   * @param h the handler or null
   */
  public void setDispatcher(H2Handler h) {
    dispatcher = h;
  }

  /**
   * TakeRequest returns the oldest complete request not yet taken, waiting up to {@link
   * #DEFAULT_TAKE_TIMEOUT}.
   *
   * @return the request
   * @throws InterruptedException if interrupted
   * @throws AssertionError if none arrives in time
   */
  public H2Request takeRequest() throws InterruptedException {
    H2Request r = taken.poll(DEFAULT_TAKE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    if (r == null) {
      throw new AssertionError("no HTTP/2 request within " + DEFAULT_TAKE_TIMEOUT);
    }
    return r;
  }

  /**
   * Frames returns every frame received so far, in arrival order (per connection).
   *
   * @return a new list
   */
  public List<H2Frame> frames() {
    return frames.frames();
  }

  /**
   * AwaitFrame waits for a received frame matching {@code p} (received before or during the wait).
   *
   * @param p the condition
   * @param timeout how long to wait
   * @return the first matching frame, or null on timeout
   * @throws InterruptedException if interrupted
   */
  public H2Frame awaitFrame(Predicate<H2Frame> p, Duration timeout) throws InterruptedException {
    return frames.await(p, timeout);
  }

  /**
   * Connections returns the accepted connections, in accept order (without {@link
   * H2Options#keepHistory(boolean) history}: those still open).
   *
   * @return a new list
   */
  public List<H2Connection> connections() {
    lock.lock();
    try {
      return new ArrayList<>(connections);
    } finally {
      lock.unlock();
    }
  }

  /**
   * AcceptedConnections returns how many connections were accepted.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return accepted.get();
  }

  /**
   * RefusedStreams returns how many streams were refused with REFUSED_STREAM (scripted or over the
   * advertised stream limit).
   *
   * @return the count
   */
  public int refusedStreams() {
    return refused.get();
  }

  /**
   * StreamLimitViolations returns how many streams a client opened past the advertised
   * SETTINGS_MAX_CONCURRENT_STREAMS.
   *
   * @return the count
   */
  public int streamLimitViolations() {
    return violations.get();
  }

  /**
   * RunningThreads returns how many of the server's connection and handler threads are still
   * running: after {@link #close()}, and a moment for handlers to notice, a count above zero means
   * a handler is stuck.
   *
   * @return the count
   */
  public int runningThreads() {
    int n = 0;
    for (Thread t : running) {
      if (t.isAlive()) {
        n++;
      }
    }
    return n;
  }

  /** Close stops accepting and closes every connection. Idempotent; never throws. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      serverSocket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (H2Connection c : connections()) {
      c.close();
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "H2TestServer{" + (tls ? "https" : "http") + "://" + host() + ":" + port() + ", accepted="
        + acceptedConnections() + (closed.get() ? ", closed" : "") + "}";
  }

  void record(H2Frame f) {
    frames.record(f);
  }

  boolean takeRefusal() {
    while (true) {
      int left = refusalsLeft.get();
      if (left == 0) {
        return false;
      }
      if (left < 0 || refusalsLeft.compareAndSet(left, left - 1)) {
        refused.incrementAndGet();
        return true;
      }
    }
  }

  void countViolation() {
    violations.incrementAndGet();
    refused.incrementAndGet();
  }

  void dispatch(H2Exchange ex) {
    if (options.keepHistory()) {
      taken.add(ex.request());
    }
    H2Handler h = queue.poll();
    if (h == null) {
      h = dispatcher;
    }
    H2Handler handler = h != null ? h : H2Response.status(200).body("ok");
    Thread t = new Thread(() -> {
      try {
        handler.handle(ex);
      } catch (Exception e) {
        if (!ex.connection().isClosed()) {
          try {
            ex.reset(2); // INTERNAL_ERROR
          } catch (IOException ignored) {
            // the connection went away
          }
        }
      } finally {
        running.remove(Thread.currentThread());
      }
    }, "h2testserver-handler-" + handlerThreads.incrementAndGet());
    t.setDaemon(true);
    running.add(t);
    t.start();
  }

  /** Runs {@code c} on the calling thread; without history, forgets it once it ended. */
  private void serve(H2Connection c) {
    try {
      c.run();
    } finally {
      if (!options.keepHistory()) {
        lock.lock();
        try {
          connections.remove(c);
        } finally {
          lock.unlock();
        }
      }
      running.remove(Thread.currentThread());
    }
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket s;
      try {
        s = serverSocket.accept();
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        if (closed.get()) {
          return;
        }
        continue;
      }
      H2Connection c;
      lock.lock();
      try {
        c = new H2Connection(this, s, accepted.getAndIncrement(), options);
        connections.add(c);
      } finally {
        lock.unlock();
      }
      if (closed.get()) {
        c.close();
        return;
      }
      Thread t = new Thread(() -> serve(c), "h2testserver-conn-" + c.index());
      t.setDaemon(true);
      running.add(t);
      t.start();
    }
  }
}
