package dev.roundtrip.testserver;

import java.time.Duration;
import java.util.List;

/**
 * ResponseSpec is the state behind a {@link ScriptedResponse}: filled in while a {@code
 * ScriptedResponse} is derived, never changed after (lists are replaced, not mutated).
 */
final class ResponseSpec {
  enum Kind { BUILT, RAW, DISCONNECT_AT_START, DISCONNECT_AFTER_REQUEST, STALL }

  final Kind kind;
  int code;
  String reason;
  String version = "HTTP/1.1";
  List<String[]> headers = List.of();
  byte[] body = new byte[0];
  boolean bodySet;
  int chunkSize; // 0: not chunked
  long generatedLength = -1; // -1: the body is {@code body}; else a generated body of this length
  List<String[]> trailers = List.of();
  boolean noContentLength;
  byte[] raw;
  boolean closeAfter;
  Duration delay = Duration.ZERO;
  Duration bodyDelay = Duration.ZERO;
  int throttleBytes; // 0: no throttling
  Duration throttlePause = Duration.ZERO;
  int midBodyBytes = -1; // -1: whole body
  Duration idleTimeout; // null: none
  boolean idle408;
  boolean resetAfter;
  boolean noContinue;
  /** Cached {head, body, head+body}, computed on first use; a benign race. */
  private volatile byte[][] wire;

  ResponseSpec(Kind kind) {
    this.kind = kind;
  }

  ResponseSpec copy() {
    ResponseSpec c = new ResponseSpec(kind);
    c.code = code;
    c.reason = reason;
    c.version = version;
    c.headers = headers;
    c.body = body;
    c.bodySet = bodySet;
    c.chunkSize = chunkSize;
    c.generatedLength = generatedLength;
    c.trailers = trailers;
    c.noContentLength = noContentLength;
    c.raw = raw;
    c.closeAfter = closeAfter;
    c.delay = delay;
    c.bodyDelay = bodyDelay;
    c.throttleBytes = throttleBytes;
    c.throttlePause = throttlePause;
    c.midBodyBytes = midBodyBytes;
    c.idleTimeout = idleTimeout;
    c.idle408 = idle408;
    c.resetAfter = resetAfter;
    c.noContinue = noContinue;
    return c;
  }

  /** Returns {head, body, head+body} for built and raw responses, computed once. */
  byte[][] wire() {
    byte[][] w = wire;
    if (w == null) {
      w = ResponseEncoder.encode(this);
      wire = w;
    }
    return w;
  }

  /** Tells whether the connection closes after this response has been written. */
  boolean closesConnection() {
    if (closeAfter || resetAfter || noContentLength || midBodyBytes >= 0) {
      return true;
    }
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase("Connection") && Http.hasToken(h[1], "close")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    switch (kind) {
      case BUILT:
        return "ScriptedResponse{" + version + " " + code + " " + reason + ", " + headers.size()
            + " headers, body " + body.length + " bytes" + (chunkSize > 0 ? ", chunked" : "")
            + "}";
      case RAW:
        return "ScriptedResponse{raw " + raw.length + " bytes}";
      default:
        return "ScriptedResponse{" + kind + "}";
    }
  }
}
