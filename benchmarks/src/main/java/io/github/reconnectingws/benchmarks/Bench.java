package io.github.reconnectingws.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * Command line entry: {@code Bench <benchmark> [--smoke] [--runs=N] [--inproc] [--key=value ...]}
 * with benchmark one of throughput, connections, storm, recovery, soak, startup, resume, stomp,
 * compression, routing, cluster.
 * Exits 0 when the benchmark ran (targets missed are reported, not failed).
 */
public final class Bench {

    private Bench() {
    }

    /**
     * @param smoke tiny sizes, seconds (what the test suite runs)
     * @param runs how many measured runs (medians are reported)
     * @param forkServer run the server in its own JVM (default for full runs)
     * @param extra other {@code --key=value} options
     */
    public record Options(boolean smoke, int runs, boolean forkServer, Map<String, String> extra) {

        public int intOption(String key, int full, int smokeValue) {
            String value = this.extra.get(key);
            return (value != null) ? Integer.parseInt(value) : (this.smoke ? smokeValue : full);
        }

        public static Options smokeOptions() {
            return new Options(true, 1, false, Map.of());
        }

        public Options withForkedServer() {
            return new Options(this.smoke, this.runs, true, this.extra);
        }

    }

    public static Options parse(String[] args, int fullRuns) {
        boolean smoke = false;
        boolean inproc = false;
        Integer runs = null;
        Map<String, String> extra = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--smoke")) {
                smoke = true;
            }
            else if (arg.equals("--inproc")) {
                inproc = true;
            }
            else if (arg.startsWith("--runs=")) {
                runs = Integer.parseInt(arg.substring(7));
            }
            else if (arg.startsWith("--") && arg.contains("=")) {
                extra.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new Options(smoke, (runs != null) ? runs : (smoke ? 1 : fullRuns), !inproc && !smoke, extra);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Bench throughput|connections|storm|recovery|soak|startup|resume|stomp|compression|routing [--smoke] [--runs=N]");
            System.exit(2);
        }
        printMachine();
        Stats.Table table = switch (args[0]) {
            case "throughput" -> new ThroughputBenchmark(parse(args, 5)).run();
            case "connections" -> new ConnectionsBenchmark(parse(args, 1)).run();
            case "storm" -> new StormBenchmark(parse(args, 1)).run();
            case "recovery" -> new RecoveryBenchmark(parse(args, 1)).run();
            case "soak" -> new SoakBenchmark(parse(args, 1)).run();
            case "startup" -> new StartupBenchmark(parse(args, 10)).run();
            case "resume" -> new ResumeBenchmark(parse(args, 5)).run();
            case "stomp" -> new StompBenchmark(parse(args, 5)).run();
            case "cluster" -> new ClusterBenchmark(parse(args, 1)).run();
            case "compression" -> new CompressionBenchmark(parse(args, 3)).run();
            case "routing" -> new RoutingBenchmark(parse(args, 5)).run();
            default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
        };
        System.out.println("\ntargets missed: " + table.misses());
        System.exit(0);
    }

    static void printMachine() {
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cpus, java "
                + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), max heap "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, load "
                + String.format(java.util.Locale.ROOT, "%.2f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

}
