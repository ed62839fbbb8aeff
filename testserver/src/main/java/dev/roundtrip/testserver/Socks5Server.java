package dev.roundtrip.testserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Socks5Server is a SOCKS5 proxy for tests (RFC 1928, with RFC 1929 username/password
 * authentication) that listens on {@code 127.0.0.1} and only ever connects to loopback
 * addresses. It supports the CONNECT command with IPv4, domain-name and IPv6 addresses,
 * resolves domain names itself with a pluggable {@link #resolver(Function) resolver}, relays
 * bytes both ways, and records what it was asked for.
 *
 * <p>Safety: a target that is not a loopback address ({@code 127.0.0.0/8}, {@code ::1}), given
 * as an address or returned by the resolver, gets reply {@code 0x02} (connection not allowed by
 * ruleset) without any connection being opened; so the server never reaches off this machine.
 *
 * <p>Lifecycle of one client connection, in order: method negotiation (no authentication, or
 * username/password when the server was started with credentials; no acceptable method gets
 * {@code 0xFF} and a close); the RFC 1929 sub-negotiation (bad credentials get status {@code
 * 0x01} and a close); the request (only CONNECT: BIND and UDP ASSOCIATE get {@code 0x07}, an
 * unknown address type {@code 0x08}); resolution and the loopback check; the connection to the
 * target (refused gets {@code 0x05}); the reply with the bound address; then the relay, which
 * passes each half-close on and ends when both directions have ended or either fails.
 *
 * <p>Thread-safe: the test thread inspects while connection threads serve. Use with
 * try-with-resources.
 */
public final class Socks5Server implements AutoCloseable {
  /** ADDRESS_IPV4 is the address type (ATYP) of a 4-byte IPv4 address: {@code 0x01}. */
  public static final int ADDRESS_IPV4 = 0x01;
  /** ADDRESS_DOMAIN is the address type (ATYP) of a domain name: {@code 0x03}. */
  public static final int ADDRESS_DOMAIN = 0x03;
  /** ADDRESS_IPV6 is the address type (ATYP) of a 16-byte IPv6 address: {@code 0x04}. */
  public static final int ADDRESS_IPV6 = 0x04;
  /** COMMAND_CONNECT is the CONNECT command (CMD): {@code 0x01}, the only one supported. */
  public static final int COMMAND_CONNECT = 0x01;
  /** REPLY_SUCCEEDED is the reply (REP) of a connected request: {@code 0x00}. */
  public static final int REPLY_SUCCEEDED = 0x00;
  /** REPLY_GENERAL_FAILURE is the reply to a connection that failed otherwise: {@code 0x01}. */
  public static final int REPLY_GENERAL_FAILURE = 0x01;
  /** REPLY_NOT_ALLOWED is the reply to a non-loopback target: {@code 0x02}. */
  public static final int REPLY_NOT_ALLOWED = 0x02;
  /** REPLY_HOST_UNREACHABLE is the reply to a name the resolver does not know: {@code 0x04}. */
  public static final int REPLY_HOST_UNREACHABLE = 0x04;
  /** REPLY_CONNECTION_REFUSED is the reply when the target refused: {@code 0x05}. */
  public static final int REPLY_CONNECTION_REFUSED = 0x05;
  /** REPLY_COMMAND_NOT_SUPPORTED is the reply to BIND and UDP ASSOCIATE: {@code 0x07}. */
  public static final int REPLY_COMMAND_NOT_SUPPORTED = 0x07;
  /** REPLY_ADDRESS_TYPE_NOT_SUPPORTED is the reply to an unknown ATYP: {@code 0x08}. */
  public static final int REPLY_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

  private static final long CLOSE_JOIN_MILLIS = 2000;

  /**
   * Request is one SOCKS5 request as the server read and answered it.
   *
   * @param command the command byte (CMD): 1 CONNECT, 2 BIND, 3 UDP ASSOCIATE
   * @param addressType the address type byte (ATYP): 1 IPv4, 3 domain name, 4 IPv6
   * @param target {@code host:port} as requested: {@code target.test:443}, {@code
   *     127.0.0.1:8080}, {@code [::1]:80} (IPv6 in RFC 5952 form); empty for an unknown ATYP
   * @param reply the reply byte (REP) the server answered, e.g. {@link #REPLY_SUCCEEDED}
   */
  public record Request(int command, int addressType, String target, int reply) {}

  private final ServerSocket serverSocket;
  private final byte[] user; // null: no authentication
  private final byte[] password;
  private final Thread acceptor;
  private volatile Function<String, InetAddress> resolver = Socks5Addresses::defaultResolve;

  /** The records and the open sockets and threads, for the tests and {@link #close()}. */
  final Socks5Book book = new Socks5Book();

  private Socks5Server(ServerSocket serverSocket, byte[] user, byte[] password) {
    this.serverSocket = serverSocket;
    this.user = user;
    this.password = password;
    this.acceptor = new Thread(this::acceptLoop, "socks5-acceptor-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Start starts a SOCKS5 proxy that requires no authentication (method {@code 0x00}) on {@code
   * 127.0.0.1} and an ephemeral port.
   *
   * @return the running proxy
   * @throws IOException if the port cannot be bound
   */
  public static Socks5Server start() throws IOException {
    return new Socks5Server(bind(), null, null);
  }

  /**
   * Start starts a SOCKS5 proxy that requires username/password authentication (method {@code
   * 0x02}, RFC 1929) with these credentials, on {@code 127.0.0.1} and an ephemeral port.
   *
   * @param user the user name, 1 to 255 bytes in UTF-8
   * @param password the password, 1 to 255 bytes in UTF-8
   * @return the running proxy
   * @throws IOException if the port cannot be bound
   * @throws IllegalArgumentException if a credential is null, empty or longer than 255 bytes
   */
  public static Socks5Server start(String user, String password) throws IOException {
    return new Socks5Server(bind(), credential("user", user), credential("password", password));
  }

  /**
   * Resolver sets the function that resolves the domain names of requests (address type {@code
   * 0x03}); it runs on connection threads, possibly concurrently. A null answer or an exception
   * gets reply {@code 0x04} (host unreachable); an answer that is not a loopback address gets
   * {@code 0x02}. The default maps {@code localhost} to {@code 127.0.0.1}, parses IPv4 and IPv6
   * literals without any lookup, and knows no other name. To map test names such as {@code
   * target.test} to this machine: {@code resolver(name -> InetAddress.getLoopbackAddress())}.
   *
   * @param r the resolver
   * @return this server, for chaining
   * @throws IllegalArgumentException if {@code r} is null
   */
  public Socks5Server resolver(Function<String, InetAddress> r) {
    if (r == null) {
      throw new IllegalArgumentException("null resolver");
    }
    this.resolver = r;
    return this;
  }

  /**
   * Port returns the port the proxy listens on.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Host returns the address the proxy listens on: {@code 127.0.0.1}.
   *
   * @return the host
   */
  public String host() {
    return serverSocket.getInetAddress().getHostAddress();
  }

  /**
   * Url returns the proxy's URI without credentials: {@code socks5://127.0.0.1:PORT}.
   *
   * @return the URI
   */
  public URI url() {
    return URI.create("socks5://" + host() + ":" + port());
  }

  /**
   * ConnectTargets returns the targets of the CONNECT requests so far, as {@code host:port}
   * exactly as requested (e.g. {@code target.test:443}, {@code 127.0.0.1:8080}, {@code
   * [::1]:80}), whatever the reply was, in the order they were answered.
   *
   * @return a new list
   */
  public List<String> connectTargets() {
    List<String> out = new ArrayList<>();
    for (Request r : requests()) {
      if (r.command() == COMMAND_CONNECT) {
        out.add(r.target());
      }
    }
    return out;
  }

  /**
   * AddressTypes returns the address type (ATYP) of every request so far, in the order they were
   * answered: {@link #ADDRESS_IPV4}, {@link #ADDRESS_DOMAIN} or {@link #ADDRESS_IPV6}.
   *
   * @return a new list
   */
  public List<Integer> addressTypes() {
    List<Integer> out = new ArrayList<>();
    for (Request r : requests()) {
      out.add(r.addressType());
    }
    return out;
  }

  /**
   * Requests returns every request so far (any command), in the order they were answered.
   *
   * @return a new list
   */
  public List<Request> requests() {
    return book.requests();
  }

  /**
   * AuthResults returns, for each username/password sub-negotiation so far, whether the
   * credentials were accepted; empty for a proxy started without credentials.
   *
   * @return a new list
   */
  public List<Boolean> authResults() {
    return book.authResults();
  }

  /**
   * AcceptedConnections returns how many client connections the proxy accepted so far.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return book.accepted();
  }

  /**
   * Close stops accepting, closes every client and target connection and waits for the proxy's
   * threads, at most about 2 s in all. Idempotent; never throws.
   */
  @Override
  public void close() {
    List<Thread> toJoin = book.closeAll(); // refuses new sockets and threads from now on
    if (toJoin == null) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_JOIN_MILLIS);
    closeQuietly(serverSocket);
    toJoin.add(acceptor);
    try {
      for (Thread t : toJoin) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * ToString returns the proxy's URI and counters, for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Socks5Server{" + url() + (user != null ? ", user/password" : ", no auth")
        + ", accepted=" + acceptedConnections() + ", requests=" + requests() + "}";
  }

  /** Resolves {@code name} with the current resolver (null when it fails). */
  InetAddress resolve(String name) {
    try {
      return resolver.apply(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (serverSocket.isClosed()) {
          return;
        }
        continue; // e.g. a connection reset before accept returned
      }
      book.countAccepted();
      if (!book.track(s)) {
        return;
      }
      Socks5Session session = new Socks5Session(this, s, user, password);
      if (book.startThread("conn", session) == null) {
        book.untrack(s);
        return;
      }
    }
  }

  private static ServerSocket bind() throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 128);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private static byte[] credential(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException("null " + what);
    }
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    if (b.length < 1 || b.length > 255) {
      throw new IllegalArgumentException(
          what + " must be 1 to 255 bytes in UTF-8 (RFC 1929), got " + b.length);
    }
    return b;
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
