package io.github.reconnectingws.benchmarks;

public final class RecoveryBenchmark {
    public RecoveryBenchmark(Bench.Options options) { }
    public Stats.Table run() throws Exception { return new Stats.Table("todo"); }
}
