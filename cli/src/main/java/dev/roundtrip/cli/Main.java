package dev.roundtrip.cli;

import dev.roundtrip.load.WorkerThreads;
import dev.roundtrip.logging.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        description = {"roundtrip: an HTTP/1.1 and HTTP/2 client built the way Go's net/http client is built.", ""},
        footer = {"", "Start with: roundtrip demo", "See 'roundtrip COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    /**
     * Verbosity is a command that can ask for stack traces of failures ({@code -v}), for silence
     * ({@code -s}), or for more to hide in a failure's line ({@code --redact-query-param}).
     */
    interface Verbosity {
        /** Returns true when failures should show their stack trace. */
        boolean verbose();

        /** Returns true when a failure's message is not shown (curl's {@code -s} without {@code -S}). */
        default boolean silent() {
            return false;
        }

        /** Returns what a failure's line hides in URLs: by default a URL's user info. */
        default Redactor redactor() {
            return Redactor.DEFAULTS;
        }
    }

    /** Runs the command with {@code args} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command with {@code args} and returns its exit code (for tests and embedding). */
    static int run(String... args) {
        return run(Streams.system(), args);
    }

    /** Runs the command with {@code args} on {@code streams} and returns its exit code. */
    static int run(Streams streams, String... args) {
        CommandLine cl = new CommandLine(new Main(), new Factory(streams));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // -d @FILE is curl's: the command reads the file, not picocli
        cl.setOverwrittenOptionsAllowed(true); // curl's rule: an option given twice takes the last value
        cl.setOut(new PrintWriter(new OutputStreamWriter(streams.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(streams.err(), StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Object cmd = commandLine.getCommand();
            boolean verbose = cmd instanceof Verbosity && ((Verbosity) cmd).verbose();
            boolean silent = cmd instanceof Verbosity && ((Verbosity) cmd).silent();
            Redactor redactor = cmd instanceof Verbosity ? ((Verbosity) cmd).redactor() : Redactor.DEFAULTS;
            return silent ? ExitCodes.of(e) : ExitCodes.report(e, verbose, redactor, streams.err());
        });
        cl.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("roundtrip: (" + ExitCodes.USAGE + ") " + Urls.scrub(usageMessage(e)));
            err.println("Try 'roundtrip " + subcommandPath(e.getCommandLine()) + "--help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        return code;
    }

    /**
     * Returns the message of a usage error. An unknown option is named first, in curl's words
     * ("option -Z: is unknown"), rather than the argument after it that picocli could not place.
     */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            for (String arg : ((CommandLine.UnmatchedArgumentException) e).getUnmatched()) {
                if (arg.startsWith("-") && arg.length() > 1) {
                    return "option " + arg.replaceFirst("=.*", "") + ": is unknown";
                }
            }
        }
        return e.getMessage();
    }

    /** Factory makes the commands, giving {@code get} and {@code bench} the streams to use. */
    private static final class Factory implements CommandLine.IFactory {
        private final Streams streams;

        Factory(Streams streams) {
            this.streams = streams;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == GetCommand.class) {
                return cls.cast(new GetCommand(streams));
            }
            if (cls == BenchCommand.class) {
                return cls.cast(new BenchCommand(streams));
            }
            return CommandLine.defaultFactory().create(cls);
        }
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
