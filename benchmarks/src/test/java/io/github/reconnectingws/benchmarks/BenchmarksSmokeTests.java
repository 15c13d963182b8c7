package io.github.reconnectingws.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark in smoke mode (tiny sizes, seconds) so the module cannot rot.
 * Only that they run to the end and report is checked: figures from a smoke run on a
 * shared machine mean nothing, except where a correctness check is built in (soak: no
 * accepted message may be lost).
 */
@Timeout(180)
class BenchmarksSmokeTests {

    private final Bench.Options smoke = Bench.Options.smokeOptions();

    @Test
    void throughput() throws Exception {
        assertThat(new ThroughputBenchmark(this.smoke).run().rows()).isEqualTo(17);
    }

    @Test
    void stomp() throws Exception {
        // run() throws if a flood does not arrive in full at the listener in time
        assertThat(new StompBenchmark(this.smoke).run().rows()).isEqualTo(3);
    }

    @Test
    void compression() throws Exception {
        // run() throws if an extension is not agreed as configured, a message is lost or
        // arrives cut, or 1 KiB messages take as many bytes on the wire with deflate as without
        assertThat(new CompressionBenchmark(this.smoke).run().rows()).isEqualTo(24);
    }

    @Test
    void routing() throws Exception {
        // run() throws if a flood does not reach the listeners exactly: each type as often as
        // sent, none at a listener of another type, none unhandled, no listener failing; the
        // reactive subscribers included
        assertThat(new RoutingBenchmark(this.smoke).run().rows()).isEqualTo(14);
    }

    @Test
    void resume() throws Exception {
        // off and memory only: the jdbc part needs PostgreSQL and is skipped in smoke mode;
        // run() throws if a resume position does not advance by exactly the messages received
        assertThat(new ResumeBenchmark(this.smoke).run().rows()).isEqualTo(4);
    }

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
    void recovery() throws Exception {
        // every client, ours and raw, must be back after each fault, or run() throws
        Stats.Table table = new RecoveryBenchmark(this.smoke).run();
        assertThat(table.rows()).isGreaterThan(10);
        assertThat(table.missed("(d) upgrade requests per rejected attempt"))
            .as("a rejected attempt costs one upgrade request, plus one shared Retry-After probe").isFalse();
    }

    @Test
    void soak() throws Exception {
        Stats.Table table = new SoakBenchmark(this.smoke).run();
        assertThat(table.rows()).isGreaterThan(5);
        assertThat(table.missed("accepted but never written (failed or pending)"))
            .as("no accepted message lost").isFalse();
    }

    @Test
    void startup() throws Exception {
        assertThat(new StartupBenchmark(this.smoke).run().rows()).isEqualTo(3);
    }

}
