package dev.roundtrip.testserver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Options is the immutable configuration of a {@link TestServer}; every setter returns a new
 * instance, so a shared {@code Options} value can be derived from freely.
 *
 * <p>Defaults (all in {@link #defaults()}): bind to {@code 127.0.0.1}, virtual threads when the
 * JDK has them, 64 KiB request head limit, request bodies and requests recorded, no static fast
 * path.
 */
public final class Options {
  /** DEFAULT_MAX_REQUEST_HEAD_BYTES is the default limit of a request head: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_HEAD_BYTES = 64 * 1024;

  private final InetAddress bindAddress;
  private final Boolean useVirtualThreads; // null: decide from the running JDK
  private final int maxRequestHeadBytes;
  private final boolean recordBodies;
  private final boolean recordRequests;
  private final byte[] fastStaticResponse; // null: no fast path

  private Options(
      InetAddress bindAddress,
      Boolean useVirtualThreads,
      int maxRequestHeadBytes,
      boolean recordBodies,
      boolean recordRequests,
      byte[] fastStaticResponse) {
    this.bindAddress = bindAddress;
    this.useVirtualThreads = useVirtualThreads;
    this.maxRequestHeadBytes = maxRequestHeadBytes;
    this.recordBodies = recordBodies;
    this.recordRequests = recordRequests;
    this.fastStaticResponse = fastStaticResponse;
  }

  /**
   * Defaults returns the default options: {@code 127.0.0.1}, virtual threads when available,
   * {@link #DEFAULT_MAX_REQUEST_HEAD_BYTES}, bodies and requests recorded, no fast path.
   *
   * @return the default options
   */
  public static Options defaults() {
    try {
      InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
      return new Options(loopback, null, DEFAULT_MAX_REQUEST_HEAD_BYTES, true, true, null);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /**
   * BindAddress returns options that listen on {@code a}; default {@code 127.0.0.1}. The address
   * must be a loopback address ({@code 127.0.0.1} or {@code ::1}): the server never listens on a
   * network interface.
   *
   * @param a a loopback address
   * @return the derived options
   * @throws IllegalArgumentException if {@code a} is not a loopback address
   */
  public Options bindAddress(InetAddress a) {
    if (a == null || !a.isLoopbackAddress()) {
      throw new IllegalArgumentException("bind address must be loopback (127.0.0.1 or ::1): " + a);
    }
    return new Options(
        a, useVirtualThreads, maxRequestHeadBytes, recordBodies, recordRequests,
        fastStaticResponse);
  }

  /**
   * UseVirtualThreads returns options that run each connection on a virtual thread ({@code true})
   * or on a platform daemon thread named {@code testserver-conn-N} ({@code false}). Default: true
   * when the running JDK has virtual threads (21 and later). {@code true} on a JDK without them
   * falls back to platform threads.
   *
   * @param b whether to use virtual threads
   * @return the derived options
   */
  public Options useVirtualThreads(boolean b) {
    return new Options(
        bindAddress, b, maxRequestHeadBytes, recordBodies, recordRequests, fastStaticResponse);
  }

  /**
   * MaxRequestHeadBytes returns options with a limit on the bytes of a request head (request line,
   * header fields and the empty line; also applied to each chunk-size line and to the trailer
   * section). Default {@link #DEFAULT_MAX_REQUEST_HEAD_BYTES}. A request over it gets {@code 431
   * Request Header Fields Too Large} and the connection is closed. Zero is not allowed.
   *
   * @param n the limit in bytes, at least 1
   * @return the derived options
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public Options maxRequestHeadBytes(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxRequestHeadBytes must be at least 1: " + n);
    }
    return new Options(
        bindAddress, useVirtualThreads, n, recordBodies, recordRequests, fastStaticResponse);
  }

  /**
   * RecordBodies returns options that keep ({@code true}) or discard ({@code false}) request
   * bodies; default true. Discarded bodies are still read off the wire; {@link
   * RecordedRequest#body()} is then empty. Use false for load.
   *
   * @param b whether to keep request bodies
   * @return the derived options
   */
  public Options recordBodies(boolean b) {
    return new Options(
        bindAddress, useVirtualThreads, maxRequestHeadBytes, b, recordRequests, fastStaticResponse);
  }

  /**
   * RecordRequests returns options that queue every request for {@link TestServer#takeRequest()}
   * ({@code true}) or only count it ({@code false}); default true. Use false for long load runs:
   * the queue is unbounded.
   *
   * @param b whether to queue requests for {@code takeRequest}
   * @return the derived options
   */
  public Options recordRequests(boolean b) {
    return new Options(
        bindAddress, useVirtualThreads, maxRequestHeadBytes, recordBodies, b, fastStaticResponse);
  }

  /**
   * FastStaticResponse returns options with a benchmark fast path: when the script queue is empty
   * and no dispatcher is set, every request is answered with exactly these bytes (which must be a
   * complete, self-delimited response for keep-alive to work). Default: none, and {@code null}
   * removes it.
   *
   * @param fullResponseBytes the exact response bytes, copied
   * @return the derived options
   */
  public Options fastStaticResponse(byte[] fullResponseBytes) {
    byte[] copy = fullResponseBytes == null ? null : fullResponseBytes.clone();
    return new Options(
        bindAddress, useVirtualThreads, maxRequestHeadBytes, recordBodies, recordRequests, copy);
  }

  InetAddress bindAddress() {
    return bindAddress;
  }

  /** Returns the explicit choice, or null when the running JDK decides. */
  Boolean useVirtualThreads() {
    return useVirtualThreads;
  }

  int maxRequestHeadBytes() {
    return maxRequestHeadBytes;
  }

  boolean recordBodies() {
    return recordBodies;
  }

  boolean recordRequests() {
    return recordRequests;
  }

  /** Returns the fast-path bytes (not a copy: never modify), or null. */
  byte[] fastStaticResponse() {
    return fastStaticResponse;
  }

  /**
   * ToString describes these options for test failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Options{bindAddress=" + bindAddress.getHostAddress()
        + ", useVirtualThreads=" + (useVirtualThreads == null ? "auto" : useVirtualThreads)
        + ", maxRequestHeadBytes=" + maxRequestHeadBytes
        + ", recordBodies=" + recordBodies
        + ", recordRequests=" + recordRequests
        + ", fastStaticResponse="
        + (fastStaticResponse == null ? "none" : fastStaticResponse.length + " bytes")
        + "}";
  }
}
