package dev.roundtrip.testserver;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

/** Listening holds what the servers share about their listening socket: bind, acceptor, URLs. */
final class Listening {
  private Listening() {}

  /** Binds a plain server socket to an ephemeral port of {@code address} (backlog 1024). */
  static ServerSocket bind(InetAddress address) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.bind(new InetSocketAddress(address, 0), 1024);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Starts {@code loop} on a daemon thread named {@code name}. */
  static Thread startAcceptor(Runnable loop, String name) {
    Thread t = new Thread(loop, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The URI host of {@code address} without brackets: {@code 127.0.0.1} or {@code ::1}. */
  static String host(InetAddress address) {
    return address instanceof Inet6Address ? "::1" : address.getHostAddress();
  }

  /** {@code scheme://host:port} followed by {@code pathAndQuery}, which must start with {@code /}. */
  static URI url(String scheme, InetAddress address, int port, String pathAndQuery) {
    if (!pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + pathAndQuery);
    }
    String h = host(address);
    return URI.create(scheme + "://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port
        + pathAndQuery);
  }
}
