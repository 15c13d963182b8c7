package io.github.reconnectingws.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the fault-recovery and startup benchmarks in smoke mode (tiny sizes, seconds) so
 * they cannot rot.
 * Only that they run to the end and report is checked: figures from a smoke run on a
 * shared machine mean nothing, except where a correctness check is built in.
 * The smoke tests are in three classes so that the build's two test JVMs share them.
 */
@Timeout(180)
class RestartBenchmarksSmokeTests {

    private final Bench.Options smoke = Bench.Options.smokeOptions();

    @Test
    void recovery() throws Exception {
        // every client, ours and raw, must be back after each fault, or run() throws
        Stats.Table table = new RecoveryBenchmark(this.smoke).run();
        assertThat(table.rows()).isGreaterThan(10);
        assertThat(table.missed("(d) upgrade requests per rejected attempt"))
            .as("a rejected attempt costs one upgrade request, plus one shared Retry-After probe").isFalse();
    }

    @Test
    void startup() throws Exception {
        assertThat(new StartupBenchmark(this.smoke).run().rows()).isEqualTo(3);
    }

}
