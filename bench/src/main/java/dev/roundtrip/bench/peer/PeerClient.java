package dev.roundtrip.bench.peer;

import java.net.URI;

/**
 * PeerClient is one HTTP client under test, set up for one benchmark point: {@link #get} is
 * called concurrently by every worker; {@link #close} releases the client's pool and threads.
 *
 * <p>Every implementation builds a new request per call (as applications do), reads the whole
 * response body through the client's streaming API into the worker's scratch buffer, and closes
 * the response so the connection goes back to the client's pool.
 */
public interface PeerClient extends AutoCloseable {

    /**
     * Sends {@code GET uri}, reads the body to its end and closes the response.
     *
     * @param scratch the calling worker's buffer for body bytes
     * @return how many body bytes were read
     * @throws Exception on any failure, including a status other than 200
     */
    long get(URI uri, byte[] scratch) throws Exception;

    /** Returns how many connections this client dialed so far, or -1 when it cannot tell. */
    default long dials() {
        return -1;
    }

    @Override
    void close() throws Exception;

    /** Reads {@code in} to its end into {@code scratch}; returns the byte count. */
    static long drain(java.io.InputStream in, byte[] scratch) throws java.io.IOException {
        long total = 0;
        int n;
        while ((n = in.read(scratch, 0, scratch.length)) >= 0) {
            total += n;
        }
        return total;
    }

    /** Throws unless {@code status} is 200. */
    static void expectOk(int status, URI uri) throws java.io.IOException {
        if (status != 200) {
            throw new java.io.IOException("GET " + uri + " answered " + status);
        }
    }
}
