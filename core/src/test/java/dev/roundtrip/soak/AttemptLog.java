package dev.roundtrip.soak;

import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;

/**
 * AttemptLog records, for every request of a run, what the judge of unsolicited bytes needs, as
 * {@link System#nanoTime()} values comparable with the server's log:
 *
 * <ul>
 *   <li>per attempt (the first {@link #MAX}): when it asked for a connection ({@code getConn}),
 *       when it got one ({@code gotConn}), its local port, and whether it was handed over by a
 *       returning request rather than taken from the idle pool;
 *   <li>per request: bounds of the moment its connection went back to the pool: the start of the
 *       call (send, read or close) during which that happened, and when {@code putIdleConn} fired.
 * </ul>
 *
 * <p>Each request's slots are written by the thread sending it and read after the run.
 */
final class AttemptLog {
    static final int MAX = 3;

    private final long[] getConn;
    private final long[] gotConn;
    private final int[] port;
    private final boolean[] handoff;
    private final long[] releaseFrom;
    private final long[] putIdle;

    AttemptLog(long requests) {
        int n = Math.toIntExact(requests * MAX);
        getConn = new long[n];
        gotConn = new long[n];
        port = new int[n];
        handoff = new boolean[n];
        releaseFrom = new long[Math.toIntExact(requests)];
        putIdle = new long[Math.toIntExact(requests)];
    }

    /** One recorded attempt. */
    record Attempt(long getConnNanos, long gotConnNanos, int localPort, boolean handoff) {}

    /** Returns the attempt of request {@code index} that used local port {@code p}, or null. */
    Attempt on(long index, int p) {
        if (index < 0 || index >= releaseFrom.length) {
            return null;
        }
        for (int i = 0; i < MAX; i++) {
            int slot = (int) (index * MAX + i);
            if (port[slot] == p && gotConn[slot] != 0) {
                return new Attempt(getConn[slot], gotConn[slot], p, handoff[slot]);
            }
        }
        return null;
    }

    /** The local ports of the recorded attempts of request {@code index}. */
    java.util.List<Integer> ports(long index) {
        java.util.List<Integer> out = new java.util.ArrayList<>(MAX);
        for (int i = 0; i < MAX && index >= 0 && index < releaseFrom.length; i++) {
            int slot = (int) (index * MAX + i);
            if (gotConn[slot] != 0) {
                out.add(port[slot]);
            }
        }
        return out;
    }

    /** When request {@code index}'s connection went back to the pool, at the earliest; 0 if unknown. */
    long releasedFrom(long index) {
        return index < 0 || index >= releaseFrom.length ? 0 : releaseFrom[(int) index];
    }

    /** When request {@code index}'s {@code putIdleConn} fired (after its release); 0 if it did not. */
    long putIdleAt(long index) {
        return index < 0 || index >= putIdle.length ? 0 : putIdle[(int) index];
    }

    /** Describes the recorded attempts of request {@code index}, times in ns. */
    String describe(long index) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < MAX && index >= 0 && index < releaseFrom.length; i++) {
            int slot = (int) (index * MAX + i);
            if (getConn[slot] != 0) {
                sb.append(i == 0 ? "" : ", ").append("getConn=").append(getConn[slot]).append(" gotConn=")
                        .append(gotConn[slot]).append(" port=").append(port[slot])
                        .append(handoff[slot] ? " handed-off" : "");
            }
        }
        return sb.append(']').toString();
    }

    /** Returns a trace for request {@code index} that fills this log and counts attempts. */
    Trace trace(long index) {
        return new Trace(index);
    }

    /** Trace is one request's recording hooks; the sender also reports each call it makes. */
    final class Trace implements ClientTrace {
        private final long index;
        /** Attempts so far (getConn calls). */
        int attempts;
        /** Attempts that got a connection that had been used before. */
        int reusedAttempts;
        /** Whether the latest attempt received a whole response head. */
        boolean lastGotHead;
        private long firstByteNanos;
        private long putIdleNanos;

        Trace(long index) {
            this.index = index;
        }

        @Override
        public void getConn(String hostPort) {
            long now = System.nanoTime();
            attempts++;
            lastGotHead = false;
            int slot = slot();
            if (slot >= 0) {
                getConn[slot] = now;
            }
        }

        @Override
        public void gotConn(GotConnInfo info) {
            long now = System.nanoTime();
            if (info.reused()) {
                reusedAttempts++;
            }
            int slot = slot();
            if (slot >= 0) {
                gotConn[slot] = now;
                port[slot] = info.localAddress().getPort();
                handoff[slot] = info.reused() && !info.wasIdle();
            }
        }

        @Override
        public void gotFirstResponseByte() {
            firstByteNanos = System.nanoTime();
            lastGotHead = true;
        }

        @Override
        public void putIdleConn(Throwable error) {
            if (error == null && putIdleNanos == 0) {
                putIdleNanos = System.nanoTime();
                if (index < putIdle.length) {
                    putIdle[(int) index] = putIdleNanos;
                }
            }
        }

        /**
         * Notes that a call of the sender (send, a body read, close) that started at {@code
         * startNanos} returned: if the connection went back to the pool during it, it did so
         * after that start and after the response head arrived.
         */
        void returned(long startNanos) {
            if (putIdleNanos != 0 && index < releaseFrom.length && releaseFrom[(int) index] == 0) {
                releaseFrom[(int) index] = Math.max(startNanos, firstByteNanos);
            }
        }

        private int slot() {
            if (attempts < 1 || attempts > MAX || index >= releaseFrom.length) {
                return -1;
            }
            return (int) (index * MAX + attempts - 1);
        }
    }
}
