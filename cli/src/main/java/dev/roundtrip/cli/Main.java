package dev.roundtrip.cli;

import dev.roundtrip.load.WorkerThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Main is the {@code roundtrip} command: {@code get}, {@code bench} and {@code demo}, with
 * {@code --help} on each and {@code --version}.
 *
 * <p>Exit codes are curl's ({@link ExitCodes}); a failure prints one line on standard error,
 * {@code roundtrip: (CODE) message}, and a stack trace only with {@code -v}. Usage errors exit 2.
 */
@Command(name = "roundtrip", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpAutoWidth = true,
        subcommands = {GetCommand.class, BenchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        description = {"roundtrip: an HTTP/1.1 client built the way Go's net/http client is built.", ""},
        footer = {"", "Start with: roundtrip demo", "See 'roundtrip COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    /** Verbosity is a command that can ask for stack traces of failures ({@code -v}). */
    interface Verbosity {
        /** Returns true when failures should show their stack trace. */
        boolean verbose();
    }

    /** Runs the command with {@code args} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command with {@code args} and returns its exit code (for tests and embedding). */
    static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // -d @FILE is curl's: the command reads the file, not picocli
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Object cmd = commandLine.getCommand();
            boolean verbose = cmd instanceof Verbosity && ((Verbosity) cmd).verbose();
            return ExitCodes.report(e, verbose, System.err);
        });
        cl.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("roundtrip: (" + ExitCodes.USAGE + ") " + Urls.scrub(e.getMessage()));
            err.println("Try 'roundtrip " + subcommandPath(e.getCommandLine()) + "--help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    private static String subcommandPath(CommandLine cl) {
        StringBuilder s = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            s.insert(0, c.getCommandName() + " ");
        }
        return s.toString();
    }

    /** Without a command: prints the usage on stderr and exits 2. */
    @Override
    public Integer call() {
        CommandLine cl = new CommandLine(this);
        cl.usage(System.err);
        return ExitCodes.USAGE;
    }

    /** Version prints the project version, the JDK and whether it has virtual threads. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"roundtrip " + projectVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")"
                        + (WorkerThreads.virtualAvailable() ? ", virtual threads available" : ", no virtual threads")};
        }

        static String projectVersion() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException ignored) {
                // unknown version
            }
            return p.getProperty("version", "unknown");
        }
    }
}
