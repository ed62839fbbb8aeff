package dev.roundtrip.testserver;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * SocketFaults carries out the socket faults of a {@link HostileServer} connection: the answer
 * up to the fault's {@link Fault.Point}, then its {@link Fault.Effect}. Every socket fault ends
 * the connection.
 */
final class SocketFaults {
  /** How long a half-closed connection waits for the client's end of stream: 10 s. */
  static final long HALF_CLOSE_MILLIS = 10_000;
  /** How long a stall lasts at most (the client normally gives up and closes first): 30 s. */
  static final long MAX_STALL_MILLIS = 30_000;
  /** How long a stall after the request head reads nothing, so a large body blocks: 2 s. */
  static final long STALL_READ_DELAY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private SocketFaults() {}

  /** Carries out {@code x}'s socket fault on {@code c}; returns false (the connection ends). */
  static boolean carryOut(HostileConnection c, HostileExchange x)
      throws IOException, InterruptedException {
    Fault f = x.fault;
    if (f.point() == Fault.Point.AFTER_HEAD) {
      if (f.effect() == Fault.Effect.SHUTDOWN_INPUT) {
        c.socket.shutdownInput(); // the body is never read
        byte[] all = FaultResponses.normal(x, true).all();
        return effect(c, f, all, 0);
      }
      return effect(c, f, new byte[0], 0);
    }
    c.readBody(x);
    FaultResponses.Answer a = FaultResponses.normal(x, false);
    byte[] all = a.all();
    int cut;
    switch (f.point()) {
      case AFTER_REQUEST:
        cut = 0;
        break;
      case MID_HEAD: // anywhere from the first byte to the last but one, the status line too
        cut = 1 + Math.floorMod(x.id.hashCode() * 31 + 7, a.head.length - 1);
        break;
      case MID_BODY:
        cut = a.head.length + a.body.length / 2;
        break;
      case END_OF_BODY:
        cut = a.head.length + Math.max(0, a.body.length - 1);
        break;
      default: // AFTER_RESPONSE
        cut = all.length;
        break;
    }
    c.out.write(all, 0, cut);
    boolean sentPart = cut > 0 && cut < all.length;
    if (sentPart && f.effect() != Fault.Effect.RESET && f.effect() != Fault.Effect.SHUTDOWN_INPUT) {
      c.log.answeredAbnormally(x.id); // these bytes arrive: a retry would break the rule
    }
    return effect(c, f, all, cut);
  }

  /** Applies {@code f}'s effect once {@code cut} bytes of {@code all} are written. */
  private static boolean effect(HostileConnection c, Fault f, byte[] all, int cut)
      throws IOException, InterruptedException {
    switch (f.effect()) {
      case CLOSE:
        c.out.flushPrefix();
        c.close();
        return false;
      case RESET:
        c.out.flushPrefix();
        c.reset = true;
        c.socket.setSoLinger(true, 0);
        c.close();
        return false;
      case SHUTDOWN_INPUT:
        if (!c.socket.isInputShutdown()) {
          c.socket.shutdownInput();
        }
        c.out.write(all, cut, all.length - cut);
        c.out.flushPrefix();
        c.socket.shutdownOutput();
        c.close();
        return false;
      case SHUTDOWN_OUTPUT:
        c.out.flushPrefix();
        c.socket.shutdownOutput();
        c.discardInput(HALF_CLOSE_MILLIS);
        c.close();
        return false;
      default: // STALL
        c.out.flushPrefix();
        if (f.point() == Fault.Point.AFTER_HEAD) {
          HostileConnection.pause(STALL_READ_DELAY_NANOS);
        }
        c.discardInput(MAX_STALL_MILLIS);
        c.close();
        return false;
    }
  }
}
