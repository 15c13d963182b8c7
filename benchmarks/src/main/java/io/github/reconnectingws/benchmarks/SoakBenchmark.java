package io.github.reconnectingws.benchmarks;

public final class SoakBenchmark {
    public SoakBenchmark(Bench.Options options) { }
    public Stats.Table run() throws Exception { return new Stats.Table("todo"); }
}
