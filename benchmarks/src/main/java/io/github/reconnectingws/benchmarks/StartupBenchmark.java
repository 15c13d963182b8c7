package io.github.reconnectingws.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.benchmarks.startup.MinimalApplication;

/**
 * Benchmark 6, startup: context start time of a minimal Boot application with and without
 * our jar, each sample a fresh JVM, alternating; medians.
 */
public final class StartupBenchmark {

    private final Bench.Options options;

    public StartupBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        int runs = this.options.runs();
        List<Double> withMs = new ArrayList<>();
        List<Double> withoutMs = new ArrayList<>();
        List<Double> withJvm = new ArrayList<>();
        List<Double> withoutJvm = new ArrayList<>();
        String autoConfigured = "?";
        String beansWith = "?";
        String beansWithout = "?";
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx512m")) {
            String url = server.url("/idle");
            int first = this.options.smoke() ? 1 : 0;
            for (int i = first; i < runs + 1; i++) {
                for (boolean with : (i % 2 == 0) ? new boolean[] { true, false } : new boolean[] { false, true }) {
                    Map<String, String> result = Children.run(List.of("-Xmx512m"),
                            MinimalApplication.class, with ? List.of("with", url) : List.of("without"), 300,
                            (entry) -> with || !(entry.contains("reconnecting-ws-autoconfigure")
                                    || entry.contains("reconnecting-ws-core") || entry.contains("spring-retry")));
                    if (i == 0) {
                        continue; // first pair warms the file cache
                    }
                    (with ? withMs : withoutMs).add(Double.parseDouble(result.get("contextMs")));
                    (with ? withJvm : withoutJvm).add(Double.parseDouble(result.get("jvmToReadyMs")));
                    if (with) {
                        autoConfigured = result.get("autoConfigured");
                        beansWith = result.get("beans");
                    }
                    else {
                        beansWithout = result.get("beans");
                    }
                }
            }
        }
        double with = Stats.median(withMs);
        double without = Stats.median(withoutMs);
        Stats.Table table = new Stats.Table("Startup (median of " + runs + " fresh JVMs each; ours = "
                + ("true".equals(autoConfigured) ? "starter auto-configuration, reconnecting.websocket.url set"
                        : "no auto-configuration on this branch yet: one client bean built with the builder")
                + ")", "with starter", "without");
        table.absolute("context start ms (with - without = " + Stats.fmt(with - without) + " ms)", with,
                Stats.fmt(without), "<= +50 ms", with - without <= 50);
        table.compare("JVM start -> context ready ms", Stats.median(withJvm), Stats.median(withoutJvm), Double.NaN, false);
        table.info("bean definitions", beansWith, beansWithout);
        table.print();
        System.out.println("\nper sample, context start ms (with | without): " + withMs + " | " + withoutMs);
        return table;
    }

}
