package io.github.reconnectingws.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the message-path benchmarks in smoke mode (tiny sizes, seconds) so they cannot rot.
 * Only that they run to the end and report is checked: figures from a smoke run on a
 * shared machine mean nothing, except where a correctness check is built in.
 * The smoke tests are in three classes so that the build's two test JVMs share them.
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

}
