package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import dev.roundtrip.tls.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * {@code roundtrip bench} over HTTP/2: h2c with prior knowledge and h2 by ALPN, many workers on one
 * multiplexed connection, the report's protocol and connection lines; the version options
 * without a URL are usage errors (the embedded server speaks HTTP/1.1 only).
 */
class BenchHttp2Test {
    @Test
    void priorKnowledgeMultiplexesEveryWorkerOnOneConnection() throws Exception {
        try (H2TestServer server = H2TestServer.start()) {
            CliRun.Result r = CliRun.run("bench", "--http2-prior-knowledge", "-n", "200", "-c", "8",
                    "http://127.0.0.1:" + server.port() + "/");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("status       200: 200", "errors       none", "protocol     HTTP/2\n",
                    "HTTP/2 connections 1");
            assertThat(BenchCommandTest.opened(r.stdout())).as("8 workers, one origin: one connection").isEqualTo(1);
            assertThat(server.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void httpsUsesH2ByAlpnByDefault() throws Exception {
        try (H2TestServer server = H2TestServer.startTls(TestCertificates.serverContext(), H2Options.defaults())) {
            CliRun.Result r = CliRun.run("bench", "-k", "-n", "50", "-c", "4", "https://127.0.0.1:" + server.port() + "/");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("status       200: 50", "protocol     HTTP/2\n");
            assertThat(server.connections().get(0).alpn()).isEqualTo("h2");
        }
    }

    @Test
    void theVersionOptionsNeedAUrl() {
        for (String option : new String[] {"--http2", "--http2-prior-knowledge"}) {
            CliRun.Result r = CliRun.run("bench", option, "-n", "1");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).contains(option.equals("--http2") ? "--http2 and" : "--http2-prior-knowledge need",
                    "the embedded server speaks HTTP/1.1 only");
            assertThat(r.stdout()).isEmpty();
        }
        CliRun.Result h1 = CliRun.run("bench", "--http1.1", "-n", "5", "-c", "1");
        assertThat(h1.exit()).as(h1.toString()).isZero();
        assertThat(h1.stdout()).contains("protocol     HTTP/1.1\n");
    }
}
