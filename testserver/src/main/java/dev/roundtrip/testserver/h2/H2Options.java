package dev.roundtrip.testserver.h2;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * H2Options configure an {@link H2TestServer}'s connections: the SETTINGS it sends (any values,
 * invalid ones included) and the connection-level faults. Immutable: every method returns a new
 * instance.
 *
 * <p>Defaults: an empty SETTINGS frame (every RFC default, no stream limit), PINGs and SETTINGS
 * acknowledged, flow-control credit granted back for every DATA frame received, no stream refused,
 * bound to {@code 127.0.0.1}.
 */
public final class H2Options {
  private long[] settings = new long[0];
  private boolean answerPings = true;
  private boolean ackSettings = true;
  private boolean silent;
  private boolean grantCredit = true;
  private int refuseStreams;
  private InetAddress bindAddress = InetAddress.getLoopbackAddress();
  private int receiveBufferSize;
  private boolean keepHistory = true;
  private String withholdStreamCreditField;
  private int connectionWindow = 65535;

  private H2Options() {}

  /**
   * Defaults returns the default options.
   *
   * @return the defaults
   */
  public static H2Options defaults() {
    return new H2Options();
  }

  private H2Options copy() {
    H2Options o = new H2Options();
    o.settings = settings;
    o.answerPings = answerPings;
    o.ackSettings = ackSettings;
    o.silent = silent;
    o.grantCredit = grantCredit;
    o.refuseStreams = refuseStreams;
    o.bindAddress = bindAddress;
    o.receiveBufferSize = receiveBufferSize;
    o.keepHistory = keepHistory;
    o.withholdStreamCreditField = withholdStreamCreditField;
    o.connectionWindow = connectionWindow;
    return o;
  }

  /**
   * Settings returns options whose server SETTINGS frame holds {@code idValuePairs} (id, value,
   * id, value...), sent as given, unchecked: e.g. {@code settings(3, 1)} for
   * SETTINGS_MAX_CONCURRENT_STREAMS=1, {@code settings(5, 0)} for an invalid MAX_FRAME_SIZE. The
   * server refuses (REFUSED_STREAM) any stream past its own MAX_CONCURRENT_STREAMS and counts it in
   * {@link H2TestServer#streamLimitViolations()}.
   *
   * @param idValuePairs identifiers and values
   * @return the derived options
   */
  public H2Options settings(long... idValuePairs) {
    if (idValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("settings come in id, value pairs");
    }
    H2Options o = copy();
    o.settings = Arrays.copyOf(idValuePairs, idValuePairs.length);
    return o;
  }

  /**
   * AnswerPings returns options where PINGs are acknowledged ({@code true}, the default) or never
   * answered.
   *
   * @param answer whether to answer
   * @return the derived options
   */
  public H2Options answerPings(boolean answer) {
    H2Options o = copy();
    o.answerPings = answer;
    return o;
  }

  /**
   * AckSettings returns options where the client's SETTINGS are acknowledged (the default) or not.
   *
   * @param ack whether to acknowledge
   * @return the derived options
   */
  public H2Options ackSettings(boolean ack) {
    H2Options o = copy();
    o.ackSettings = ack;
    return o;
  }

  /**
   * Silent returns options where a connection is accepted and read, but nothing is ever written:
   * no preface SETTINGS, no answer (a dead peer that keeps the TCP connection up).
   *
   * @param silent whether connections are silent
   * @return the derived options
   */
  public H2Options silent(boolean silent) {
    H2Options o = copy();
    o.silent = silent;
    return o;
  }

  /**
   * GrantCredit returns options where every DATA frame received is answered with WINDOW_UPDATEs
   * for its length on the stream and the connection (the default), or never: with {@code false}
   * the client's send window never opens past the initial one.
   *
   * @param grant whether to grant credit
   * @return the derived options
   */
  public H2Options grantCredit(boolean grant) {
    H2Options o = copy();
    o.grantCredit = grant;
    return o;
  }

  /**
   * RefuseStreams returns options where the first {@code n} streams (across all connections) are
   * reset with REFUSED_STREAM as soon as their HEADERS arrive; -1 refuses every stream.
   *
   * @param n how many streams to refuse, or -1 for all
   * @return the derived options
   */
  public H2Options refuseStreams(int n) {
    H2Options o = copy();
    o.refuseStreams = n;
    return o;
  }

  /**
   * BindAddress returns options with another local address (default {@code 127.0.0.1}).
   *
   * @param address a loopback address
   * @return the derived options
   */
  public H2Options bindAddress(InetAddress address) {
    H2Options o = copy();
    o.bindAddress = address;
    return o;
  }

  /**
   * ReceiveBufferSize returns options whose plain (h2c) listening socket has SO_RCVBUF {@code
   * bytes}, set before binding so that accepted connections inherit it and the kernel does not
   * grow it: with {@link H2Connection#pauseReading()}, a client's writes then block after a few
   * kilobytes. 0, the default, leaves the system's choice. Not applied to TLS servers.
   *
   * @param bytes the receive buffer size, or 0
   * @return the derived options
   */
  public H2Options receiveBufferSize(int bytes) {
    H2Options o = copy();
    o.receiveBufferSize = bytes;
    return o;
  }

  /**
   * KeepHistory returns options where the server keeps every frame and request it received ({@code
   * true}, the default: {@link H2TestServer#frames()}, {@link H2TestServer#takeRequest()}, {@link
   * H2Connection#requests()}) or none of them, and forgets each stream once it is done: for long
   * runs (soaks), whose memory must not grow with the number of requests.
   *
   * @param keep whether to keep the history
   * @return the derived options
   */
  public H2Options keepHistory(boolean keep) {
    H2Options o = copy();
    o.keepHistory = keep;
    return o;
  }

  /**
   * WithholdStreamCredit returns options where a stream whose request HEADERS carry a field named
   * {@code fieldName} (lowercase) never gets a stream WINDOW_UPDATE: the client's send window on
   * that stream never opens past the initial one, while connection credit is still granted, so
   * only that request stalls (a per-request {@link #grantCredit(boolean) grantCredit(false)}).
   * Null, the default, withholds from none.
   *
   * @param fieldName the request field that marks a stream, or null
   * @return the derived options
   */
  public H2Options withholdStreamCredit(String fieldName) {
    H2Options o = copy();
    o.withholdStreamCreditField = fieldName;
    return o;
  }

  /**
   * ConnectionWindow returns options where the server opens its connection receive window to
   * {@code octets} right after its SETTINGS (a WINDOW_UPDATE on stream 0, as real servers do:
   * nginx, Jetty and Go's server open theirs far past the initial 65,535), and keeps it there
   * while it grants credit. The default, 65,535, sends no such WINDOW_UPDATE.
   *
   * @param octets the connection window, from 65,535 to 2^31-1
   * @return the derived options
   */
  public H2Options connectionWindow(int octets) {
    if (octets < 65535) {
      throw new IllegalArgumentException("connection window below the initial 65535: " + octets);
    }
    H2Options o = copy();
    o.connectionWindow = octets;
    return o;
  }

  int connectionWindow() {
    return connectionWindow;
  }

  boolean keepHistory() {
    return keepHistory;
  }

  String withholdStreamCreditField() {
    return withholdStreamCreditField;
  }

  int receiveBufferSize() {
    return receiveBufferSize;
  }

  long[] settings() {
    return settings;
  }

  boolean answerPings() {
    return answerPings;
  }

  boolean ackSettings() {
    return ackSettings;
  }

  boolean silent() {
    return silent;
  }

  boolean grantCredit() {
    return grantCredit;
  }

  int refuseStreams() {
    return refuseStreams;
  }

  InetAddress bindAddress() {
    return bindAddress;
  }

  /** Returns the MAX_CONCURRENT_STREAMS these options advertise, or Long.MAX_VALUE. */
  long maxConcurrentStreams() {
    long max = Long.MAX_VALUE;
    for (int i = 0; i < settings.length; i += 2) {
      if (settings[i] == 3) {
        max = settings[i + 1];
      }
    }
    return max;
  }
}
