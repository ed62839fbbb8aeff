package dev.roundtrip.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Http2FaultSoakTest runs the HTTP/2 fault soak: requests of every kind (GET, POST with small and
 * large bodies, replayable or not; through a Transport or a Client; read whole, closed early,
 * canceled, interrupted; from platform and virtual threads) over h2c and TLS against scripted
 * {@link dev.roundtrip.testserver.h2.H2TestServer}s with faults mixed in per request or per
 * connection ({@link H2Fault}), every outcome checked ({@link H2SoakCall}, {@link H2Judge}), and
 * fails on any defect (hang, wrong or unexplained exception, corrupt body, answer to another
 * request, a retry where the server had processed the request or none where it had not, a leak of
 * connections, streams, descriptors or server threads). In {@code mvn verify} it is bounded:
 * {@value #REQUESTS} requests at concurrency {@value #CONCURRENCY}, at most {@value #SECONDS} s of
 * sending. {@code scripts/soak.sh --http2} runs it as long as asked (see {@link SoakSettings}).
 */
class Http2FaultSoakTest {
    static final long REQUESTS = 20_000;
    static final int CONCURRENCY = 32;
    static final int SECONDS = 20;

    @Test
    void everyOutcomeIsARightAnswerOrAnExplainedTypedFailure() throws Exception {
        SoakSettings settings = SoakSettings.fromSystemProperties(REQUESTS, CONCURRENCY, Duration.ofSeconds(SECONDS));
        SoakResult result = new H2SoakRun(settings).run();
        String report = SoakReport.format(result);
        System.out.println(report);
        SoakReport.write(settings, report);
        assertThat(result.defects()).as("soak defects (the report with examples is printed above%s)",
                settings.reportFile() == null ? "" : " and in " + settings.reportFile())
                .allSatisfy((defect, count) -> assertThat(count).as(defect.label).isZero());
    }
}
