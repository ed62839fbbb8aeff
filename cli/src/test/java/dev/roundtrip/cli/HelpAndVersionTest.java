package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --help} on every command, {@code --version}, and the bare command. */
class HelpAndVersionTest {
    @Test
    void versionNamesTheProjectVersionAndTheJdk() throws Exception {
        CliProcess.Result r = CliProcess.run("--version");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("roundtrip 0.").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        CliProcess.Result top = CliProcess.run("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.stdout()).contains("Usage: roundtrip", "get", "bench", "demo", "roundtrip demo");
        for (String cmd : new String[] {"get", "bench", "demo"}) {
            CliProcess.Result r = CliProcess.run(cmd, "--help");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("Usage: roundtrip " + cmd);
        }
        assertThat(CliProcess.run("get", "--help").stdout()).contains("--trace", "--cacert", "--insecure", "--location");
        assertThat(CliProcess.run("bench", "--help").stdout()).contains("--go-defaults", "--threads", "--requests");
    }

    @Test
    void noCommandPrintsUsageOnStderrAndExits2() throws Exception {
        CliProcess.Result r = CliProcess.run();
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("Usage: roundtrip");
    }
}
