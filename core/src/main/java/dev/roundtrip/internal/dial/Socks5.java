package dev.roundtrip.internal.dial;

import dev.roundtrip.error.ProxyException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Socks5 is the client side of a SOCKS5 handshake (RFC 1928) with optional username/password
 * authentication (RFC 1929). Host names are sent to the proxy to resolve (Go treats {@code socks5}
 * as {@code socks5h}); IP literals go as IPv4 or IPv6 addresses.
 */
final class Socks5 {
    private static final int VERSION = 5;
    private static final int NO_AUTH = 0;
    private static final int USER_PASS = 2;
    private static final int NO_ACCEPTABLE = 0xff;

    private Socks5() {
    }

    /** Asks the proxy on {@code s} to connect to {@code host:port}; throws when it refuses. */
    static void connect(Socket s, ProxyHop proxy, String host, int port) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        boolean auth = proxy.user() != null;
        out.write(auth ? new byte[] {VERSION, 2, NO_AUTH, USER_PASS} : new byte[] {VERSION, 1, NO_AUTH});
        out.flush();
        byte[] choice = readN(in, 2, proxy);
        if (choice[0] != VERSION) {
            throw new ProxyException("proxy " + proxy + " is not a SOCKS5 proxy (version byte " + choice[0] + ")", -1);
        }
        int method = choice[1] & 0xff;
        if (method == USER_PASS && auth) {
            authenticate(in, out, proxy);
        } else if (method == NO_ACCEPTABLE) {
            throw new ProxyException("SOCKS5 proxy " + proxy + " accepts none of the offered authentication methods"
                    + (auth ? "" : " (it may need a user name and password)"), -1);
        } else if (method != NO_AUTH) {
            throw new ProxyException("SOCKS5 proxy " + proxy + " chose an unsupported method " + method, -1);
        }
        out.write(connectRequest(host, port));
        out.flush();
        byte[] reply = readN(in, 4, proxy);
        int rep = reply[1] & 0xff;
        if (reply[0] != VERSION || rep != 0) {
            throw new ProxyException("SOCKS5 proxy " + proxy + " refused the connection to " + host + ":" + port + ": "
                    + replyText(rep), rep);
        }
        int skip;
        switch (reply[3]) {
            case 1: skip = 4; break;
            case 4: skip = 16; break;
            case 3: skip = readN(in, 1, proxy)[0] & 0xff; break;
            default: throw new ProxyException("SOCKS5 proxy " + proxy + " sent address type " + reply[3], -1);
        }
        readN(in, skip + 2, proxy); // bound address and port: not needed
    }

    private static void authenticate(InputStream in, OutputStream out, ProxyHop proxy) throws IOException {
        byte[] user = proxy.user().getBytes(StandardCharsets.UTF_8);
        byte[] pass = (proxy.password() == null ? "" : proxy.password()).getBytes(StandardCharsets.UTF_8);
        if (user.length > 255 || pass.length > 255) {
            throw new IllegalArgumentException("SOCKS5 user name and password are limited to 255 bytes each");
        }
        byte[] msg = new byte[3 + user.length + pass.length];
        msg[0] = 1;
        msg[1] = (byte) user.length;
        System.arraycopy(user, 0, msg, 2, user.length);
        msg[2 + user.length] = (byte) pass.length;
        System.arraycopy(pass, 0, msg, 3 + user.length, pass.length);
        out.write(msg);
        out.flush();
        byte[] status = readN(in, 2, proxy);
        if (status[1] != 0) {
            throw new ProxyException("SOCKS5 proxy " + proxy + " rejected the user name or password", status[1] & 0xff);
        }
    }

    private static byte[] connectRequest(String host, int port) throws IOException {
        byte[] addr;
        int type;
        if (Dialer.isIpLiteral(host)) {
            addr = InetAddress.getByName(host).getAddress();
            type = addr.length == 4 ? 1 : 4;
        } else {
            addr = host.getBytes(StandardCharsets.US_ASCII);
            if (addr.length > 255) {
                throw new IllegalArgumentException("host name too long for SOCKS5: " + host);
            }
            type = 3;
        }
        int n = type == 3 ? 1 + addr.length : addr.length;
        byte[] req = new byte[4 + n + 2];
        req[0] = VERSION;
        req[1] = 1; // CONNECT
        req[2] = 0;
        req[3] = (byte) type;
        int p = 4;
        if (type == 3) {
            req[p++] = (byte) addr.length;
        }
        System.arraycopy(addr, 0, req, p, addr.length);
        p += addr.length;
        req[p++] = (byte) (port >> 8);
        req[p] = (byte) port;
        return req;
    }

    private static String replyText(int rep) {
        switch (rep) {
            case 1: return "general failure";
            case 2: return "connection not allowed by ruleset";
            case 3: return "network unreachable";
            case 4: return "host unreachable";
            case 5: return "connection refused";
            case 6: return "TTL expired";
            case 7: return "command not supported";
            case 8: return "address type not supported";
            default: return "reply code " + rep;
        }
    }

    private static byte[] readN(InputStream in, int n, ProxyHop proxy) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("SOCKS5 proxy " + proxy + " closed the connection during the handshake");
            }
            off += r;
        }
        return b;
    }
}
