package dev.roundtrip.bench.scale;

import dev.roundtrip.bench.peer.Args;
import dev.roundtrip.bench.peer.Clients;
import dev.roundtrip.bench.peer.Json;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * ScaleMain runs ONE scale point in this JVM and prints {@code RESULT {json}} on standard output
 * (the scale runner starts a fresh JVM per client and level, so the heap and thread figures are
 * that client's alone):
 * <pre>
 * java -Xmx4g -cp roundtrip-bench.jar dev.roundtrip.bench.scale.ScaleMain --client roundtrip \
 *     --base http://127.0.0.1:PORT --level 1000 [--hold 1] [--inflight-hold 3] [--warmup 5] \
 *     [--bound 60] [--status /status|none] [--histogram]
 * java ... ScaleMain --fifo --base http://127.0.0.1:PORT --level 10000 --max-conns 100 --fifo-hold 0.2
 * </pre>
 * The server must hold {@code /hold}, {@code /hold-inflight} and {@code /hold-fifo} for the
 * given times and serve {@code /} at once ({@code bench/run.sh --scale} sets nginx up so);
 * {@code --status} is its {@code stub_status} page ({@code none}: connections and requests in
 * flight are not counted). Fields: see {@link ScalePoint} and {@link FifoPoint}; with
 * {@code --histogram} also the classes that make up an idle connection, printed on standard error.
 */
public final class ScaleMain {
    /** The clients a scale run knows: every peer client and the {@code raw} floor. */
    static boolean known(String client) {
        return client.equals(RawPeer.NAME) || Clients.ALL.contains(client);
    }

    private ScaleMain() {
    }

    public static void main(String[] args) throws Exception {
        Args o = Args.parse(args, Set.of("fifo", "histogram"), ScaleMain::usage);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        URI base = URI.create(o.required("base"));
        int level = Integer.parseInt(o.required("level"));
        String status = o.get("status", "/status");
        ServerProbe probe = status.equals("none") ? ServerProbe.none() : ServerProbe.nginx(base.resolve(status));
        Duration warmup = seconds(o.get("warmup", "5"));
        Duration bound = seconds(o.get("bound", "60"));
        Map<String, Object> result;
        if (o.has("fifo")) {
            result = FifoPoint.run(new FifoPoint.Plan(base, level, Integer.parseInt(o.get("max-conns", "100")),
                    seconds(o.get("fifo-hold", "0.2")), bound), warmup, probe);
        } else {
            String client = o.required("client");
            if (!known(client)) {
                usage("unknown client " + client + "; known: " + Clients.ALL + " and " + RawPeer.NAME);
            }
            result = ScalePoint.run(new ScalePoint.Plan(client, base, level, seconds(o.get("hold", "1")),
                    seconds(o.get("inflight-hold", "3")), warmup, bound, o.has("histogram")), probe);
            Object h = result.get("idle_top");
            if (o.has("histogram") && h != null) {
                System.err.println(client + ": what one idle connection holds (classes that grew, per connection):");
                for (String row : h.toString().split("; ")) {
                    System.err.println("  " + row);
                }
            }
        }
        out.println("RESULT " + Json.object(result));
        System.exit(0); // some clients leave non-daemon threads behind
    }

    private static Duration seconds(String s) {
        return Duration.ofNanos((long) (Double.parseDouble(s) * 1e9));
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: ScaleMain --client NAME --base http://127.0.0.1:PORT --level N [--hold S]"
                + " [--inflight-hold S] [--warmup S] [--bound S] [--status PATH|none] [--histogram]");
        System.err.println("   or: ScaleMain --fifo --base http://127.0.0.1:PORT --level N [--max-conns 100] [--fifo-hold S]");
        System.exit(2);
    }
}
