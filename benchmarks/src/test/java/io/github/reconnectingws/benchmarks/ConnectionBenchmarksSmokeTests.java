package io.github.reconnectingws.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the connection-count benchmarks in smoke mode (tiny sizes, seconds) so they cannot
 * rot; soak checks that no accepted message is lost.
 * Only that they run to the end and report is checked: figures from a smoke run on a
 * shared machine mean nothing, except where a correctness check is built in.
 * The smoke tests are in three classes so that the build's two test JVMs share them.
 */
@Timeout(180)
class ConnectionBenchmarksSmokeTests {

    private final Bench.Options smoke = Bench.Options.smokeOptions();

    @Test
    void connections() throws Exception {
        assertThat(new ConnectionsBenchmark(this.smoke).run().rows()).isGreaterThan(5);
    }

    @Test
    void storm() throws Exception {
        Stats.Table table = new StormBenchmark(this.smoke).run();
        assertThat(table.rows()).isGreaterThan(5);
        assertThat(table.misses()).as("all clients back within the limit").isZero();
    }

    @Test
    void soak() throws Exception {
        Stats.Table table = new SoakBenchmark(this.smoke).run();
        assertThat(table.rows()).isGreaterThan(5);
        assertThat(table.missed("accepted but never written (failed or pending)"))
            .as("no accepted message lost").isFalse();
    }

}
