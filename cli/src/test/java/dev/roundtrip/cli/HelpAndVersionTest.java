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
    void getHelpListsCurlsOptionsInCurlsWords() {
        String help = CliRun.run("get", "--help").stdout();
        assertThat(help).contains("-s, --silent", "Silent mode", "-S, --show-error", "Show error even when -s is used",
                "-I, --head", "Show document info only", "-u, --user", "Server user and password", "-w, --write-out",
                "Use output FORMAT after completion", "-O, --remote-name", "--compressed", "Request compressed response",
                "-F, --form", "Specify multipart MIME data", "--json", "HTTP POST JSON", "--data-binary",
                "HTTP POST binary data", "--data-urlencode", "HTTP POST data URL encoded", "-G, --get",
                "Put the post data in the URL and use GET", "-b, --cookie", "Send cookies from string/file",
                "-c, --cookie-jar", "Write cookies to FILE after operation", "--retry", "Retry request if transient",
                "--resolve", "Resolve the host+port to this address", "--connect-to", "Connect to host", "-4, --ipv4",
                "-6, --ipv6", "--max-redirs", "Maximum number of redirects allowed", "-o, --output",
                "Write to file instead of stdout", "-L, --location", "Follow redirects", "-i, --include",
                "Include protocol response headers in the output");
    }

    @Test
    void benchHelpListsHeysOptionsAndTheOpenLoop() {
        String help = CliRun.run("bench", "--help").stdout();
        assertThat(help).contains("-z, --duration", "-q=QPS", "per worker", "-R, --rate", "coordinated omission",
                "-m, -X, --request", "-d, --body", "-D=FILE", "-T=TYPE", "-A=TYPE", "-a=USER:PASSWORD", "-t, --timeout");
    }

    @Test
    void noCommandPrintsUsageOnStderrAndExits2() throws Exception {
        CliProcess.Result r = CliProcess.run();
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("Usage: roundtrip");
    }
}
