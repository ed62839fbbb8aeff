package dev.roundtrip.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Tests the SOCKS5 proxy with a client that writes the RFC 1928 and RFC 1929 bytes by hand. */
class Socks5ServerTest {
  private static final byte[] LOOPBACK_V4 = {127, 0, 0, 1};
  private static final byte[] LOOPBACK_V6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  private static final String GET = "GET /via-socks HTTP/1.1\r\nHost: target.test\r\n\r\n";

  @Test
  void noAuthIpv4ConnectRelaysToTheTarget() throws Exception {
    try (TestServer target = TestServer.start();
        Socks5Server proxy = Socks5Server.start();
        Socket s = connect(proxy)) {
      send(s, 5, 1, 0); // VER, NMETHODS, NO AUTHENTICATION REQUIRED
      assertThat(read(s, 2)).containsExactly(5, 0);
      send(s, request(1, 1, LOOPBACK_V4, target.port()));
      byte[] reply = read(s, 10);
      assertThat(Arrays.copyOf(reply, 4)).containsExactly(5, 0, 0, 1); // succeeded, IPv4 BND
      assertThat(Arrays.copyOfRange(reply, 4, 8)).containsExactly(LOOPBACK_V4);
      assertThat(((reply[8] & 0xff) << 8) | (reply[9] & 0xff)).isPositive();

      String response = exchange(s, GET);
      assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("ok");
      assertThat(target.takeRequest().target()).isEqualTo("/via-socks");
      assertThat(proxy.connectTargets()).containsExactly("127.0.0.1:" + target.port());
      assertThat(proxy.addressTypes()).containsExactly(Socks5Server.ADDRESS_IPV4);
      assertThat(proxy.requests()).containsExactly(new Socks5Server.Request(
          Socks5Server.COMMAND_CONNECT, 1, "127.0.0.1:" + target.port(), 0));
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
      assertThat(proxy.authResults()).isEmpty();
      assertThat(proxy.url().toString()).isEqualTo("socks5://127.0.0.1:" + proxy.port());
    }
  }

  @Test
  void domainNamesAreResolvedByThePluggableResolver() throws Exception {
    try (TestServer target = TestServer.start();
        Socks5Server proxy = Socks5Server.start()
            .resolver(name -> InetAddress.getLoopbackAddress())) {
      try (Socket s = connect(proxy)) {
        send(s, 5, 2, 2, 0); // offers user/password and no-auth: no-auth is chosen
        assertThat(read(s, 2)).containsExactly(5, 0);
        send(s, request(1, 3, ascii("target.test"), target.port()));
        assertThat(read(s, 4)).containsExactly(5, 0, 0, 1);
        read(s, 6);
        assertThat(exchange(s, GET)).endsWith("ok");
      }
      assertThat(proxy.connectTargets()).containsExactly("target.test:" + target.port());
      assertThat(proxy.addressTypes()).containsExactly(Socks5Server.ADDRESS_DOMAIN);
    }
  }

  @Test
  void defaultResolverKnowsOnlyLocalhostAndLiterals() throws Exception {
    try (TestServer target = TestServer.start(); Socks5Server proxy = Socks5Server.start()) {
      assertThat(replyTo(proxy, request(1, 3, ascii("localhost"), target.port()))).isEqualTo(0);
      assertThat(replyTo(proxy, request(1, 3, ascii("127.0.0.1"), target.port()))).isEqualTo(0);
      assertThat(replyTo(proxy, request(1, 3, ascii("target.test"), target.port())))
          .isEqualTo(Socks5Server.REPLY_HOST_UNREACHABLE);
      assertThat(replyTo(proxy, request(1, 3, ascii("10.0.0.1"), 80)))
          .isEqualTo(Socks5Server.REPLY_NOT_ALLOWED);
      assertThat(replyTo(proxy, request(1, 3, ascii("[2001:db8::1]"), 80)))
          .isEqualTo(Socks5Server.REPLY_NOT_ALLOWED);
      assertThat(proxy.connectTargets()).containsExactly("localhost:" + target.port(),
          "127.0.0.1:" + target.port(), "target.test:" + target.port(), "10.0.0.1:80",
          "[2001:db8::1]:80");
      assertThat(target.acceptedConnections()).isEqualTo(2);
    }
  }

  @Test
  void ipv6LoopbackTarget() throws Exception {
    TestServer target;
    try {
      target = TestServer.start(Options.defaults().bindAddress(InetAddress.getByName("::1")));
    } catch (SocketException e) {
      Assumptions.abort("no IPv6 loopback on this machine: " + e);
      return;
    }
    try (target; Socks5Server proxy = Socks5Server.start(); Socket s = connect(proxy)) {
      send(s, 5, 1, 0);
      assertThat(read(s, 2)).containsExactly(5, 0);
      send(s, request(1, 4, LOOPBACK_V6, target.port()));
      byte[] reply = read(s, 22);
      assertThat(Arrays.copyOf(reply, 4)).containsExactly(5, 0, 0, 4); // IPv6 BND
      assertThat(Arrays.copyOfRange(reply, 4, 20)).containsExactly(LOOPBACK_V6);
      assertThat(exchange(s, GET)).endsWith("ok");
      assertThat(proxy.connectTargets()).containsExactly("[::1]:" + target.port());
      assertThat(proxy.addressTypes()).containsExactly(Socks5Server.ADDRESS_IPV6);
    }
  }

  @Test
  void usernamePasswordAccepted() throws Exception {
    try (TestServer target = TestServer.start();
        Socks5Server proxy = Socks5Server.start("alice", "s3cret");
        Socket s = connect(proxy)) {
      send(s, 5, 2, 0, 2);
      assertThat(read(s, 2)).containsExactly(5, 2); // USERNAME/PASSWORD chosen
      send(s, auth("alice", "s3cret"));
      assertThat(read(s, 2)).containsExactly(1, 0);
      send(s, request(1, 1, LOOPBACK_V4, target.port()));
      assertThat(read(s, 10)[1]).isEqualTo((byte) 0);
      assertThat(exchange(s, GET)).endsWith("ok");
      assertThat(proxy.authResults()).containsExactly(true);
      assertThat(proxy.connectTargets()).containsExactly("127.0.0.1:" + target.port());
    }
  }

  @Test
  void badCredentialsGetFailureThenClose() throws Exception {
    try (Socks5Server proxy = Socks5Server.start("alice", "s3cret")) {
      for (String[] cred : new String[][] {{"alice", "wrong"}, {"bob", "s3cret"}}) {
        try (Socket s = connect(proxy)) {
          send(s, 5, 1, 2);
          assertThat(read(s, 2)).containsExactly(5, 2);
          send(s, auth(cred[0], cred[1]));
          assertThat(read(s, 2)).containsExactly(1, 1);
          assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
      }
      assertThat(proxy.authResults()).containsExactly(false, false);
      assertThat(proxy.requests()).isEmpty();
    }
  }

  @Test
  void noAcceptableMethodGetsFfThenClose() throws Exception {
    try (Socks5Server withAuth = Socks5Server.start("alice", "s3cret");
        Socks5Server noAuth = Socks5Server.start()) {
      for (Object[] c : new Object[][] {{withAuth, 0}, {noAuth, 2}}) {
        try (Socket s = connect((Socks5Server) c[0])) {
          send(s, 5, 1, (Integer) c[1]);
          assertThat(read(s, 2)).containsExactly(5, 0xff);
          assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
      }
      assertThat(withAuth.authResults()).isEmpty();
    }
  }

  @Test
  void nonLoopbackTargetsAreRefusedWithoutConnecting() throws Exception {
    byte[] v6 = new byte[16];
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[2] = 0x0d;
    v6[3] = (byte) 0xb8;
    v6[15] = 1;
    try (Socks5Server proxy = Socks5Server.start()
        .resolver(name -> Socks5Addresses.defaultResolve("10.0.0.1"))) {
      assertThat(replyTo(proxy, request(1, 1, new byte[] {10, 0, 0, 1}, 80)))
          .isEqualTo(Socks5Server.REPLY_NOT_ALLOWED);
      assertThat(replyTo(proxy, request(1, 4, v6, 443)))
          .isEqualTo(Socks5Server.REPLY_NOT_ALLOWED);
      assertThat(replyTo(proxy, request(1, 3, ascii("example.com"), 443)))
          .isEqualTo(Socks5Server.REPLY_NOT_ALLOWED);
      assertThat(proxy.connectTargets())
          .containsExactly("10.0.0.1:80", "[2001:db8::1]:443", "example.com:443");
    }
  }

  @Test
  void bindAndUdpAssociateAreNotSupported() throws Exception {
    try (Socks5Server proxy = Socks5Server.start()) {
      assertThat(replyTo(proxy, request(2, 1, LOOPBACK_V4, 80)))
          .isEqualTo(Socks5Server.REPLY_COMMAND_NOT_SUPPORTED);
      assertThat(replyTo(proxy, request(3, 1, LOOPBACK_V4, 80)))
          .isEqualTo(Socks5Server.REPLY_COMMAND_NOT_SUPPORTED);
      assertThat(proxy.connectTargets()).isEmpty();
      assertThat(proxy.requests()).extracting(Socks5Server.Request::command).containsExactly(2, 3);
    }
  }

  @Test
  void unknownAddressTypeAndRefusedPort() throws Exception {
    int closedPort;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = ss.getLocalPort();
    }
    try (Socks5Server proxy = Socks5Server.start()) {
      assertThat(replyTo(proxy, new byte[] {5, 1, 0, 9, 1, 2, 3, 4, 0, 80}))
          .isEqualTo(Socks5Server.REPLY_ADDRESS_TYPE_NOT_SUPPORTED);
      assertThat(replyTo(proxy, request(1, 1, LOOPBACK_V4, closedPort)))
          .isEqualTo(Socks5Server.REPLY_CONNECTION_REFUSED);
      assertThat(proxy.addressTypes()).containsExactly(9, 1);
    }
  }

  @Test
  void relaysLargeBodiesAndTheTargetsClose() throws Exception {
    byte[] big = new byte[1 << 20];
    Arrays.fill(big, (byte) 'x');
    try (TestServer target = TestServer.start();
        Socks5Server proxy = Socks5Server.start();
        Socket s = connect(proxy)) {
      target.enqueue(ScriptedResponse.status(200).body(big).closeAfter());
      send(s, 5, 1, 0);
      read(s, 2);
      send(s, request(1, 1, LOOPBACK_V4, target.port()));
      read(s, 10);
      s.getOutputStream().write(("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length
          + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().write(big);
      byte[] all = s.getInputStream().readAllBytes(); // ends because the target closed
      assertThat(all.length).isGreaterThan(big.length);
      assertThat(target.takeRequest().body()).hasSize(big.length);
    }
  }

  @Test
  void closeEndsRelaysAndRefusesNewClients() throws Exception {
    try (TestServer target = TestServer.start()) {
      Socks5Server proxy = Socks5Server.start();
      try (Socket s = connect(proxy)) {
        send(s, 5, 1, 0);
        read(s, 2);
        send(s, request(1, 1, LOOPBACK_V4, target.port()));
        read(s, 10);
        long start = System.nanoTime();
        proxy.close();
        assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(target.awaitOpenConnections(0, java.time.Duration.ofSeconds(2))).isTrue();
      assertThatThrownBy(() -> connect(proxy)).isInstanceOf(IOException.class);
      proxy.close(); // idempotent
    }
  }

  @Test
  void credentialsAreChecked() {
    assertThatThrownBy(() -> Socks5Server.start("", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
    assertThatThrownBy(() -> Socks5Server.start("u", "p".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    assertThatThrownBy(() -> Socks5Server.start("u", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipv6TextIsRfc5952() {
    assertThat(v6("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    assertThat(v6("0:0:0:0:0:0:0:0")).isEqualTo("::");
    assertThat(v6("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
    assertThat(v6("1:0:0:0:0:0:0:0")).isEqualTo("1::");
    assertThat(v6("1:0:0:1:0:0:0:1")).isEqualTo("1:0:0:1::1");
    assertThat(v6("1:0:2:3:4:5:6:7")).isEqualTo("1:0:2:3:4:5:6:7");
    assertThat(Socks5Addresses.defaultResolve("target.test")).isNull();
    assertThat(Socks5Addresses.defaultResolve("256.0.0.1")).isNull();
    assertThat(Socks5Addresses.defaultResolve("::1").isLoopbackAddress()).isTrue();
  }

  // --- the hand-written client ---

  /** Connects to the proxy, negotiates no-auth, sends {@code request}; returns the REP byte. */
  private static int replyTo(Socks5Server proxy, byte[] request) throws IOException {
    try (Socket s = connect(proxy)) {
      send(s, 5, 1, 0);
      assertThat(read(s, 2)).containsExactly(5, 0);
      send(s, request);
      byte[] head = read(s, 4);
      assertThat(head[0]).isEqualTo((byte) 5);
      read(s, head[3] == 4 ? 18 : 6);
      return head[1] & 0xff;
    }
  }

  private static Socket connect(Socks5Server proxy) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(proxy.host(), proxy.port()), 2000);
    s.setSoTimeout(5000);
    return s;
  }

  /** Returns VER CMD RSV ATYP DST.ADDR DST.PORT; a domain name gets its length byte first. */
  private static byte[] request(int command, int addressType, byte[] address, int port) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {5, (byte) command, 0, (byte) addressType});
    if (addressType == 3) {
      b.write(address.length);
    }
    b.writeBytes(address);
    b.write(port >>> 8);
    b.write(port & 0xff);
    return b.toByteArray();
  }

  /** Returns the RFC 1929 request: VER ULEN UNAME PLEN PASSWD. */
  private static byte[] auth(String user, String password) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(1);
    b.write(user.length());
    b.writeBytes(ascii(user));
    b.write(password.length());
    b.writeBytes(ascii(password));
    return b.toByteArray();
  }

  /** Sends an HTTP request through the tunnel and reads a Content-Length framed response. */
  private static String exchange(Socket s, String request) throws IOException {
    send(s, ascii(request));
    return new RawClient(s).readResponse();
  }

  private static void send(Socket s, int... bytes) throws IOException {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    send(s, b);
  }

  private static void send(Socket s, byte[] b) throws IOException {
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
  }

  private static byte[] read(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("EOF after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String v6(String full) {
    byte[] a = new byte[16];
    List<String> groups = List.of(full.split(":"));
    for (int i = 0; i < 8; i++) {
      int g = Integer.parseInt(groups.get(i), 16);
      a[2 * i] = (byte) (g >>> 8);
      a[2 * i + 1] = (byte) g;
    }
    return Socks5Addresses.ipv6Text(a);
  }
}
