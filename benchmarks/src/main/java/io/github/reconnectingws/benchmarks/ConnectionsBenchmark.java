package io.github.reconnectingws.benchmarks;

public final class ConnectionsBenchmark {
    public ConnectionsBenchmark(Bench.Options options) { }
    public Stats.Table run() throws Exception { return new Stats.Table("todo"); }
}
