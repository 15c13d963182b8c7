package io.github.reconnectingws.benchmarks;

public final class StormBenchmark {
    public StormBenchmark(Bench.Options options) { }
    public Stats.Table run() throws Exception { return new Stats.Table("todo"); }
}
