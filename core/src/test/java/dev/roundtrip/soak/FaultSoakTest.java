package dev.roundtrip.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * FaultSoakTest runs the fault soak: requests of every kind through real Transports and Clients
 * against the {@link dev.roundtrip.testserver.HostileServer}, every outcome checked, and fails on
 * any defect (hang, wrong exception type, corrupt body, wrong-request answer the client could have
 * avoided, forbidden retry or reuse, leak). In {@code mvn verify} it is bounded: {@value #REQUESTS}
 * requests at concurrency {@value #CONCURRENCY}, at most {@value #SECONDS} s of sending. {@code
 * scripts/soak.sh} runs it as long as asked (see {@link SoakSettings} for the properties).
 */
class FaultSoakTest {
    static final long REQUESTS = 20_000;
    static final int CONCURRENCY = 32;
    static final int SECONDS = 20;

    @Test
    void everyOutcomeIsARightAnswerOrADocumentedFailure() throws Exception {
        SoakSettings settings = SoakSettings.fromSystemProperties(REQUESTS, CONCURRENCY, Duration.ofSeconds(SECONDS));
        SoakResult result = new SoakRun(settings).run();
        String report = SoakReport.format(result);
        System.out.println(report);
        SoakReport.write(settings, report);
        assertThat(result.defects()).as("soak defects (the report with examples is printed above%s)",
                settings.reportFile() == null ? "" : " and in " + settings.reportFile())
                .allSatisfy((defect, count) -> assertThat(count).as(defect.label).isZero());
    }
}
