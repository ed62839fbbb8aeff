package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code roundtrip demo} runs on its own, shows its three sections, and ends in under 30 s. */
class DemoCommandTest {
    @Test
    void demoShowsReuseThePoolComparisonAndALeak() throws Exception {
        CliProcess.Result r = CliProcess.run(Map.of(), Duration.ofSeconds(60), false, "demo");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.took()).as(r.toString()).isLessThan(Duration.ofSeconds(30));
        String out = r.stdout();
        assertThat(out).doesNotContain("\u001b");
        // (a) a new connection, then the reused one
        assertThat(out).contains("(a) ", "1st request -> 200, new connection", "2nd request -> 200, reused connection",
                "DNS lookup", "TCP connect", "server (time to first byte)", "content transfer",
                "connection: new (dialed for this request)", "connection: reused (idle for ", "(reused connection)");
        // (b) Go's default pool against roundtrip's
        assertThat(out).contains("(b) ", "Go's default ", "roundtrip's default ", "idle/host", "connections",
                "requests/s", "too many idle connections for host");
        // (c) the leak, with where the response was created
        assertThat(out).contains("(c) ", "was leaked", "The response was created at:",
                "at dev.roundtrip.cli.LeakDemo.sendAndForget", "PoolStats: leaks=1",
                "\"leaked: response never closed\"=1");
        assertThat(r.stderr()).isEmpty();
    }
}
