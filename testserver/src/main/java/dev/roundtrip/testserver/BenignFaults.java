package dev.roundtrip.testserver;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * BenignFaults carries out the benign faults of a {@link HostileServer} connection: complete,
 * valid answers in the ways real servers answer.
 */
final class BenignFaults {
  private static final int FLOOD_HEADS = 40;
  private static final int THROTTLE_WRITES = 100;
  private static final long THROTTLE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

  private BenignFaults() {}

  /** Answers {@code x} on {@code c} as its fault says; false when the connection is to be closed. */
  static boolean carryOut(HostileConnection c, HostileExchange x)
      throws IOException, InterruptedException {
    if (x.fault == Fault.EARLY_RESPONSE) {
      c.out.write(FaultResponses.normal(x, true).all());
      return c.closeGracefully(); // the body, if it comes, is drained by the close
    }
    c.readBody(x);
    switch (x.fault) {
      case CHUNKED:
        c.out.write(FaultResponses.chunked(x).all());
        return true;
      case GZIP:
        c.out.write(FaultResponses.gzip(x, false, false).all());
        return true;
      case THROTTLED:
        byte[] all = FaultResponses.normal(x, false).all();
        int piece = Math.max(1, all.length / THROTTLE_WRITES);
        for (int off = 0; off < all.length; off += piece) {
          if (off > 0) {
            HostileConnection.pause(THROTTLE_PAUSE_NANOS);
          }
          c.out.write(all, off, Math.min(piece, all.length - off));
        }
        return true;
      case INFORMATIONAL_FLOOD:
        for (byte[] h : FaultResponses.informational(FLOOD_HEADS)) {
          c.out.write(h);
        }
        c.out.write(FaultResponses.normal(x, false).all());
        return true;
      case HTTP10_UNTIL_CLOSE:
        c.out.write(FaultResponses.http10(x, false, true).all());
        return c.closeGracefully();
      case HTTP10_KEEP_ALIVE:
        c.out.write(FaultResponses.http10(x, true, false).all());
        return true;
      case HTTP10_NO_KEEP_ALIVE:
        c.out.write(FaultResponses.http10(x, false, false).all());
        c.announceClose(x.id);
        return true;
      case CONNECTION_CLOSE:
        c.out.write(FaultResponses.normal(x, true).all());
        return c.closeGracefully();
      case CONNECTION_CLOSE_LEFT_OPEN:
        c.out.write(FaultResponses.normal(x, true).all());
        c.announceClose(x.id);
        return true;
      default: // NONE
        c.out.write(FaultResponses.normal(x, false).all());
        return true;
    }
  }
}
