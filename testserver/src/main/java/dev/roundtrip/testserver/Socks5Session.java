package dev.roundtrip.testserver;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Socks5Session serves one client connection of a {@link Socks5Server}, in the order the class
 * comment of the server lists: negotiation, authentication, request, loopback check, connect,
 * reply, relay. Every failure reply is followed by a graceful close (FIN, then the client's
 * remaining bytes are drained briefly) so that the client reads the reply instead of a reset.
 */
final class Socks5Session implements Runnable {
  /** How long the client may take over each step before the relay starts. */
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /** How long connecting to a loopback target may take. */
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** How long a failed client's remaining bytes are drained before the close. */
  private static final int DRAIN_MILLIS = 1_000;

  private static final int VERSION = 0x05;
  private static final int AUTH_VERSION = 0x01;
  private static final int METHOD_NO_AUTH = 0x00;
  private static final int METHOD_USER_PASSWORD = 0x02;
  private static final int METHOD_NONE_ACCEPTABLE = 0xFF;

  private final Socks5Server server;
  private final Socket client;
  private final byte[] user; // null: no authentication
  private final byte[] password;

  Socks5Session(Socks5Server server, Socket client, byte[] user, byte[] password) {
    this.server = server;
    this.client = client;
    this.user = user;
    this.password = password;
  }

  @Override
  public void run() {
    Socket target = null;
    try {
      client.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      client.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (!negotiate(in, out)) {
        closeGracefully();
        return;
      }
      target = request(in, out);
      if (target == null) {
        closeGracefully();
        return;
      }
      client.setSoTimeout(0); // from here on only the peers or close() end the relay
      relay(target);
    } catch (IOException e) {
      // the client went away or sent garbage: nothing to answer
    } finally {
      if (target != null) {
        server.book.untrack(target);
      }
      server.book.untrack(client);
    }
  }

  /** Runs method negotiation and, if chosen, RFC 1929 authentication; false to close. */
  private boolean negotiate(DataInputStream in, OutputStream out) throws IOException {
    if (in.readUnsignedByte() != VERSION) {
      return false; // not SOCKS5: no reply format to answer in
    }
    byte[] methods = readFully(in, in.readUnsignedByte());
    int wanted = user == null ? METHOD_NO_AUTH : METHOD_USER_PASSWORD;
    boolean offered = false;
    for (byte m : methods) {
      offered |= (m & 0xff) == wanted;
    }
    if (!offered) {
      write(out, VERSION, METHOD_NONE_ACCEPTABLE);
      return false;
    }
    write(out, VERSION, wanted);
    if (wanted == METHOD_NO_AUTH) {
      return true;
    }
    int version = in.readUnsignedByte();
    byte[] u = readFully(in, in.readUnsignedByte());
    byte[] p = readFully(in, in.readUnsignedByte());
    // Both comparisons always run, so timing does not tell which one failed.
    boolean ok = version == AUTH_VERSION & MessageDigest.isEqual(u, user)
        & MessageDigest.isEqual(p, password);
    server.book.recordAuth(ok);
    write(out, AUTH_VERSION, ok ? 0x00 : 0x01);
    return ok;
  }

  /**
   * Reads the request, answers it and returns the connected target; null after a failure
   * reply.
   */
  private Socket request(DataInputStream in, OutputStream out) throws IOException {
    if (in.readUnsignedByte() != VERSION) {
      return null;
    }
    int command = in.readUnsignedByte();
    in.readUnsignedByte(); // RSV
    int addressType = in.readUnsignedByte();
    byte[] address;
    String host;
    switch (addressType) {
      case Socks5Server.ADDRESS_IPV4 -> {
        address = readFully(in, 4);
        host = Socks5Addresses.ipv4Text(address);
      }
      case Socks5Server.ADDRESS_DOMAIN -> {
        address = null;
        host = new String(readFully(in, in.readUnsignedByte()), StandardCharsets.UTF_8);
      }
      case Socks5Server.ADDRESS_IPV6 -> {
        address = readFully(in, 16);
        host = "[" + Socks5Addresses.ipv6Text(address) + "]";
      }
      default -> {
        return fail(out, new Socks5Server.Request(command, addressType, "",
            Socks5Server.REPLY_ADDRESS_TYPE_NOT_SUPPORTED));
      }
    }
    int port = in.readUnsignedShort();
    String requested = host + ":" + port;
    if (command != Socks5Server.COMMAND_CONNECT) {
      return fail(out, new Socks5Server.Request(command, addressType, requested,
          Socks5Server.REPLY_COMMAND_NOT_SUPPORTED));
    }
    InetAddress resolved = address != null ? InetAddress.getByAddress(address)
        : server.resolve(host);
    int reply;
    Socket target = null;
    if (resolved == null) {
      reply = Socks5Server.REPLY_HOST_UNREACHABLE;
    } else if (!resolved.isLoopbackAddress()) {
      reply = Socks5Server.REPLY_NOT_ALLOWED; // never connect off this machine
    } else {
      target = new Socket();
      reply = connect(target, new InetSocketAddress(resolved, port));
      if (reply != Socks5Server.REPLY_SUCCEEDED) {
        server.book.untrack(target);
        target = null;
      }
    }
    Socks5Server.Request r = new Socks5Server.Request(command, addressType, requested, reply);
    if (target == null) {
      return fail(out, r);
    }
    server.book.recordRequest(r);
    out.write(reply(reply, target.getLocalAddress(), target.getLocalPort()));
    out.flush();
    return target;
  }

  /** Connects {@code target} to a loopback address and returns the reply code. */
  private int connect(Socket target, InetSocketAddress to) {
    if (!server.book.track(target)) {
      return Socks5Server.REPLY_GENERAL_FAILURE; // the server is closing
    }
    try {
      target.connect(to, CONNECT_TIMEOUT_MILLIS);
      target.setTcpNoDelay(true);
      return Socks5Server.REPLY_SUCCEEDED;
    } catch (ConnectException e) {
      return Socks5Server.REPLY_CONNECTION_REFUSED;
    } catch (SocketTimeoutException e) {
      return Socks5Server.REPLY_HOST_UNREACHABLE;
    } catch (IOException e) {
      return Socks5Server.REPLY_GENERAL_FAILURE;
    }
  }

  /** Records {@code r}, sends its failure reply and returns null. */
  private Socket fail(OutputStream out, Socks5Server.Request r) throws IOException {
    server.book.recordRequest(r);
    out.write(reply(r.reply(), null, 0));
    out.flush();
    return null;
  }

  /**
   * Copies bytes both ways: target to client on a second thread, client to target on this one.
   * An end of stream is passed on as a half-close; a failure closes both sockets.
   */
  private void relay(Socket target) throws IOException {
    InputStream fromTarget = target.getInputStream();
    OutputStream toClient = client.getOutputStream();
    Thread down = server.book.startThread("relay", () -> pump(fromTarget, toClient, client, target));
    if (down == null) {
      return; // closing
    }
    pump(client.getInputStream(), target.getOutputStream(), target, client);
    try {
      down.join(); // close() ends it by closing the sockets
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies {@code from} to {@code to} until end of stream (then half-closes) or failure. */
  private static void pump(InputStream from, OutputStream to, Socket toSocket, Socket other) {
    byte[] buf = new byte[16 * 1024];
    try {
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
      toSocket.shutdownOutput();
    } catch (IOException e) {
      Socks5Server.closeQuietly(toSocket);
      Socks5Server.closeQuietly(other);
    }
  }

  /** Sends FIN, then reads and drops what the client still sends, briefly, so it sees no RST. */
  private void closeGracefully() {
    try {
      client.shutdownOutput();
      client.setSoTimeout(DRAIN_MILLIS);
      long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
      InputStream in = client.getInputStream();
      byte[] buf = new byte[1024];
      while (System.nanoTime() < deadline && in.read(buf) >= 0) {
        // drop
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Returns a reply: VER REP RSV ATYP BND.ADDR BND.PORT (0.0.0.0:0 when {@code bound} is null). */
  private static byte[] reply(int code, InetAddress bound, int port) {
    byte[] addr = bound == null ? new byte[4] : bound.getAddress();
    byte[] b = new byte[6 + addr.length];
    b[0] = VERSION;
    b[1] = (byte) code;
    b[3] = (byte) (bound == null || bound instanceof Inet4Address
        ? Socks5Server.ADDRESS_IPV4 : Socks5Server.ADDRESS_IPV6);
    System.arraycopy(addr, 0, b, 4, addr.length);
    b[4 + addr.length] = (byte) (port >>> 8);
    b[5 + addr.length] = (byte) port;
    return b;
  }

  private static byte[] readFully(DataInputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void write(OutputStream out, int a, int b) throws IOException {
    out.write(new byte[] {(byte) a, (byte) b});
    out.flush();
  }
}
