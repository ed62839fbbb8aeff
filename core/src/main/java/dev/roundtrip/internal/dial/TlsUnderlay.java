package dev.roundtrip.internal.dial;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * TlsUnderlay is the socket a TLS socket is layered on: it passes every call to the socket
 * beneath ({@code under}: the TCP channel's socket, or the TLS socket to an https proxy), and
 * can buffer what TLS reads from it.
 *
 * <p>Why: the JDK's {@code SSLSocket} reads each TLS record in two reads, its 5-byte header and
 * then its body, so a connection that receives many small records pays two system calls per
 * record. Once {@link #bufferReads} is called, one read of up to {@link #READ_BUFFER_BYTES} takes
 * every record the kernel holds. Only HTTP/2 connections turn it on ({@link Connector} does, when
 * ALPN chose {@code h2}): their one reader receives many streams' frames at once, and there are
 * few of them, so the buffer's memory is small. HTTP/1.1 connections stay unbuffered: an idle one
 * would hold the buffer, and their liveness check reads the TCP socket beneath this one.
 *
 * <p>The buffer keeps the socket's meaning: a read that times out ({@code SO_TIMEOUT}, set on the
 * socket beneath) consumes nothing; {@code available()} counts the buffered bytes too; a read never
 * waits for more once it has bytes to give. One thread reads at a time (TLS locks its reads).
 */
final class TlsUnderlay extends Socket {
    /**
     * The read buffer of an HTTP/2 connection over TLS: 64 KiB, room for four full TLS records
     * (16 KiB of data each, RFC 8446 §5.1), a 64 KiB body in about one read, or hundreds of small
     * records. With 32 KiB, 64 KiB bodies at 256 streams took 2.8 to 2.9 reads per response
     * against 1.9 to 2.0 (docs/benchmarks.md, finding 26).
     */
    static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Socket under;
    private final Input input;

    TlsUnderlay(Socket under) throws IOException {
        super((SocketImpl) null);
        this.under = under;
        this.input = new Input(under.getInputStream());
    }

    /** Buffers reads from now on; bytes TLS has not read yet are not affected (none are buffered before). */
    void bufferReads() {
        input.buffer = new byte[READ_BUFFER_BYTES];
    }

    /** Returns the octets buffered and not yet read by TLS; by the thread that reads only. */
    int buffered() {
        return input.end - input.pos;
    }

    /** The stream TLS reads: {@code under}'s, through the buffer once {@link #bufferReads} was called. */
    private static final class Input extends InputStream {
        private final InputStream in;
        private byte[] buffer; // null: reads pass through
        private int pos;
        private int end;

        Input(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == end) {
                if (buffer == null || len >= buffer.length) {
                    return in.read(b, off, len);
                }
                int n = in.read(buffer, 0, buffer.length); // a timeout throws here, with nothing taken
                if (n <= 0) {
                    return n;
                }
                pos = 0;
                end = n;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return end - pos + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return under.getOutputStream();
    }

    @Override
    public SocketChannel getChannel() {
        return null; // reading the channel would skip the buffer
    }

    @Override
    public void connect(SocketAddress endpoint) {
        throw new UnsupportedOperationException("already connected");
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) {
        throw new UnsupportedOperationException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) {
        throw new UnsupportedOperationException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        return under.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return under.getLocalAddress();
    }

    @Override
    public int getPort() {
        return under.getPort();
    }

    @Override
    public int getLocalPort() {
        return under.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return under.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return under.getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        under.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return under.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        under.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return under.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        under.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        under.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return under.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        under.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return under.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        under.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return under.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        under.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return under.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        under.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return under.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        under.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return under.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        under.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return under.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        under.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        under.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        under.shutdownOutput();
    }

    @Override
    public String toString() {
        return under.toString();
    }

    @Override
    public boolean isConnected() {
        return under.isConnected();
    }

    @Override
    public boolean isBound() {
        return under.isBound();
    }

    @Override
    public boolean isClosed() {
        return under.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return under.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return under.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        under.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        under.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return under.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return under.supportedOptions();
    }
}
