package dev.roundtrip.cli;

import dev.roundtrip.Client;
import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.RedirectPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.Resolver;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.Socks5Server;
import dev.roundtrip.testserver.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * WarmUp runs, before a measured request, every path that request will take, on servers in this
 * process on 127.0.0.1, so that {@code get --trace} and {@code -w} show where the network and the
 * server spent the time rather than the JVM loading, verifying and first running the code (a cold
 * JVM's first TLS handshake takes tens of milliseconds longer than the next one).
 *
 * <p>Steps, each through the command's own pipeline (Client, {@link ExchangeLog} with {@code -v}
 * output to nowhere, a throwaway Transport derived from the real one's configuration):
 * <ol>
 *   <li>the name lookup: the real resolver (with {@code --resolve}, {@code -4}/{@code -6}) asked
 *       for {@code localhost}, which comes from the hosts file, never from the network;</li>
 *   <li>plain HTTP: a request on a new connection, then one on the reused connection;</li>
 *   <li>for https (target or proxy): TLS 1.3 with the JDK's default protocols and cipher suites
 *       (new, then reused connection), TLS 1.2, and one handshake with the real TLS context (its
 *       trust store loaded; the warm-up certificate is refused unless {@code -k}), against a TLS
 *       server with a certificate made now ({@link WarmUpCertificate}); RSA signature checks
 *       (PKCS#1 and PSS) are run once, as servers with RSA certificates need them;</li>
 *   <li>through a proxy: the same requests through an in-process proxy of the same kind
 *       ({@link WarmUpProxy} for http and https proxies: CONNECT or absolute form; a SOCKS5
 *       server for socks5), with credentials when the real proxy has some;</li>
 *   <li>gzip decoding, for {@code --compressed}.</li>
 * </ol>
 * Nothing is sent to the user's server or proxy, and failures are ignored (it is only a warm-up).
 */
final class WarmUp {
    /** Bound on each warm-up request: 5 s. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** TLS 1.3 connections per certificate type: 2 (after a few full handshakes later ones run about as fast). */
    static final int TLS_CONNECTIONS = 2;
    /** Longest wait for the RSA key of the warm-up certificate: 5 s. */
    static final Duration RSA_KEY_TIMEOUT = Duration.ofSeconds(5);
    /** How long the JIT compilers must have been idle before the measured request: 30 ms. */
    static final Duration JIT_QUIET = Duration.ofMillis(30);
    /** The longest wait for idle JIT compilers: 300 ms. */
    static final Duration JIT_SETTLE_MAX = Duration.ofMillis(300);
    private static final String PATH = "/warm-up";

    /**
     * Plan is what the real request will do.
     *
     * @param https      whether the target is https
     * @param proxy      the real proxy, or null
     * @param compressed whether the response is decoded ({@code --compressed})
     */
    record Plan(boolean https, URI proxy, boolean compressed) {
        boolean tls() {
            return https || (proxy != null && "https".equalsIgnoreCase(proxy.getScheme()));
        }
    }

    /**
     * Result says what the warm-up did.
     *
     * @param took  how long it took
     * @param paths the paths warmed, e.g. "DNS", "TLS 1.3"
     */
    record Result(Duration took, List<String> paths) {
        /** Returns the line {@code --trace} prints about what its figures exclude. */
        String excludedLine() {
            return String.format(Locale.ROOT, "excluded: JVM start-up, and a %s warm-up on in-process loopback servers"
                    + " (%s; then waiting for the JIT compilers to go idle); name lookups bypass the JVM's cache",
                    Durations.millis(took), String.join(", ", paths));
        }
    }

    private WarmUp() {
    }

    /** Warms up the paths of {@code plan}, with Transports derived from {@code real}. */
    static Result run(TransportConfig real, Plan plan) {
        long start = System.nanoTime();
        List<String> paths = new ArrayList<>();
        paths.add("DNS");
        // RSA keys take a while to make: on another thread, while the rest warms up
        CompletableFuture<WarmUpCertificate> rsa = plan.https() ? certificateLater(true) : null;
        List<AutoCloseable> servers = new ArrayList<>();
        try {
            TestServer plain = TestServer.start(quiet());
            servers.add(plain);
            WarmUpCertificate ec = plan.tls() ? WarmUpCertificate.create(false) : null;
            TransportConfig.Builder base = real.toBuilder().resolver(warmResolver(real.resolver()))
                    .dialTarget(null) // --connect-to must not send the warm-up to the user's server
                    .proxy(proxy(plan.proxy(), ec, servers));
            if (plan.proxy() != null && "https".equalsIgnoreCase(plan.proxy().getScheme())) {
                // an https proxy has its own TLS settings (--proxy-cacert ...): here, trust the warm-up's proxy
                base.proxySslContext(ec.clientContext("TLS"));
            }
            URI plainUrl = url("http", plain.port());
            // the first requests take the proxy's path: it is named only when they got through
            String proxied = plan.proxy() == null ? null : plan.proxy().getScheme().toLowerCase(Locale.ROOT) + " proxy";
            if (!plan.https()) {
                if (send(base.sslContext(ec == null ? real.sslContext() : ec.clientContext("TLS")).build(), plainUrl, 2)
                        && proxied != null) {
                    paths.add(proxied);
                }
                paths.add("HTTP");
            } else {
                if (send(base.sslContext(ec.clientContext("TLS")).build(), plainUrl, 1) && proxied != null) {
                    paths.add(proxied); // HTTP without TLS to the target
                }
                TestServer ecServer = TestServer.startTls(ec.serverContext(), quiet());
                servers.add(ecServer);
                URI ecUrl = url("https", ecServer.port());
                tls(base, ec, ecUrl, true);
                WarmUpCertificate rsaCert = rsa.get(RSA_KEY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                TestServer rsaServer = TestServer.startTls(rsaCert.serverContext(), quiet());
                servers.add(rsaServer);
                tls(base, rsaCert, url("https", rsaServer.port()), false);
                // the real context: its trust store loaded (the warm-up certificate is refused, but with -k)
                send(base.sslContext(real.sslContext() != null ? real.sslContext() : SSLContext.getDefault()).build(),
                        ecUrl, 1);
                paths.add("HTTP, TLS 1.3 with EC and RSA certificates, TLS 1.2");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException | ExecutionException | TimeoutException e) {
            // only a warm-up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (AutoCloseable c : servers) {
                closeQuietly(c);
            }
        }
        if (plan.compressed()) {
            gunzip();
            paths.add("gzip");
        }
        awaitQuietJit();
        return new Result(Duration.ofNanos(System.nanoTime() - start), paths);
    }

    private static Options quiet() {
        return Options.defaults().recordRequests(false).recordBodies(false);
    }

    /** Makes a certificate on a daemon thread. */
    private static CompletableFuture<WarmUpCertificate> certificateLater(boolean rsa) {
        CompletableFuture<WarmUpCertificate> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(WarmUpCertificate.create(rsa));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "warm-up-keys");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /**
     * Returns the warm-up's proxy policy: direct when {@code real} is null, else an in-process proxy of
     * the same kind (with credentials when the real one has some), added to {@code servers}.
     */
    private static ProxyPolicy proxy(URI real, WarmUpCertificate tls, List<AutoCloseable> servers)
            throws IOException, GeneralSecurityException {
        if (real == null) {
            return ProxyPolicy.direct();
        }
        String scheme = real.getScheme().toLowerCase(Locale.ROOT);
        boolean auth = real.getRawUserInfo() != null;
        URI url;
        if (scheme.startsWith("socks")) {
            Socks5Server socks = auth ? Socks5Server.start("warm", "up") : Socks5Server.start();
            servers.add(socks);
            url = URI.create(scheme + "://" + (auth ? "warm:up@" : "") + "127.0.0.1:" + socks.port());
        } else {
            WarmUpProxy p = WarmUpProxy.start(scheme.equals("https") ? tls.serverContext() : null);
            servers.add(p);
            url = p.url(scheme, auth ? "warm:up" : null);
        }
        return ProxyPolicy.fixed(url);
    }

    /**
     * Runs {@link #TLS_CONNECTIONS} TLS 1.3 connections (two requests each) and, with
     * {@code tls12}, one TLS 1.2 connection to {@code url}, each with a client context of its own:
     * every handshake is a full one, as a first visit's, never a resumption.
     */
    private static void tls(TransportConfig.Builder base, WarmUpCertificate cert, URI url, boolean tls12)
            throws GeneralSecurityException, IOException {
        for (int i = 0; i < TLS_CONNECTIONS; i++) {
            send(base.sslContext(cert.clientContext("TLS")).build(), url, 2);
        }
        if (tls12) {
            send(base.sslContext(cert.clientContext("TLSv1.2")).build(), url, 1);
        }
    }

    /**
     * Waits until the JIT compilers have had nothing to do for {@link #JIT_QUIET}, at most
     * {@link #JIT_SETTLE_MAX}: methods the warm-up made hot are compiled now, not on the CPU the
     * measured request needs.
     */
    private static void awaitQuietJit() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + JIT_SETTLE_MAX.toNanos();
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0 && System.nanoTime() - quietSince < JIT_QUIET.toNanos()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /** Returns a resolver that asks {@code real} about {@code localhost}, then answers 127.0.0.1 whatever the name. */
    private static Resolver warmResolver(Resolver real) {
        return host -> {
            try {
                real.resolve(WarmUpCertificate.HOST);
            } catch (UnknownHostException | RuntimeException ignored) {
                // e.g. -6 and no ::1 for localhost: the lookup ran, that is what counts
            }
            return List.of(InetAddress.getByAddress(WarmUpCertificate.HOST, new byte[] {127, 0, 0, 1}));
        };
    }

    private static URI url(String scheme, int port) {
        return URI.create(scheme + "://" + WarmUpCertificate.HOST + ":" + port + PATH);
    }

    /**
     * Sends {@code count} requests to {@code url} through a Transport of {@code config}, the way get
     * does; returns true when they all got their response.
     */
    private static boolean send(TransportConfig config, URI url, int count) {
        try (Transport t = Transport.create(config)) {
            // the same pipeline as get: Client -> ExchangeLog (also the trace) -> Transport, -v output to nowhere
            ExchangeLog log = new ExchangeLog(t, new PrintStream(OutputStream.nullOutputStream()), null, false);
            Client client = Client.builder().transport(log).redirectPolicy(RedirectPolicy.never())
                    .timeout(REQUEST_TIMEOUT).build();
            for (int i = 0; i < count; i++) {
                try (Response r = client.send(Request.newBuilder(url).trace(log).build())) {
                    r.body().transferTo(OutputStream.nullOutputStream());
                    r.timings();
                }
            }
            return true;
        } catch (IOException | RuntimeException ignored) {
            // only a warm-up (the real TLS context refuses the warm-up certificate)
            return false;
        }
    }

    private static void gunzip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write("warm-up warm-up warm-up".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException ignored) {
            // only a warm-up
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // only a warm-up
            }
        }
    }
}
