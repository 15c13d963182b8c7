package io.github.reconnectingws.benchmarks;

public final class StartupBenchmark {
    public StartupBenchmark(Bench.Options options) { }
    public Stats.Table run() throws Exception { return new Stats.Table("todo"); }
}
