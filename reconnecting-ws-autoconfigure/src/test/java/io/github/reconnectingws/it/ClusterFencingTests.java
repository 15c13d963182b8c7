package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.reconnectingws.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.it.ClusterInstances.LEASE_TTL;
import static io.github.reconnectingws.it.ClusterInstances.TIMEOUT;
import static io.github.reconnectingws.it.ClusterInstances.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holder of a clustered application frozen with SIGSTOP past its lease, over a real
 * PostgreSQL: another instance takes its connection, and once it wakes up it delivers
 * nothing and lets its connection go.
 */
class ClusterFencingTests {

    @RegisterExtension
    ClusterInstances cluster = new ClusterInstances();

    @Test
    void aFrozenHolderDeliversNothingAfterItsLeaseLapsed() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            this.cluster.server().tick(Duration.ofMillis(20), (n) -> "{\"seq\":" + n + ",\"price\":1}");
            List<String> storeArgs = List.of("--instance.jdbc-url=" + postgres.jdbcUrl());
            this.cluster.start("a", 2, storeArgs);
            this.cluster.start("b", 2, storeArgs);
            Map<String, String> holders = this.cluster.awaitSpread(Set.of("a", "b"),
                    (held) -> held.values().stream().allMatch((count) -> count == 1));
            await().atMost(TIMEOUT).until(() -> this.cluster.delivered("a") > 10 && this.cluster.delivered("b") > 10);

            long frozen = System.nanoTime();
            this.cluster.jvms().freeze("a");
            // b takes a's connection once the lease expires; a stays frozen for the TTL + 3 s
            this.cluster.awaitSpread(Set.of("b"), (held) -> millisSince(frozen) > LEASE_TTL.plusSeconds(3).toMillis());
            long deliveredBeforeThaw = this.cluster.delivered("a");
            String connection = holders.entrySet()
                .stream()
                .filter((holder) -> holder.getValue().equals("a"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();

            long thawed = System.nanoTime();
            this.cluster.jvms().thaw("a");
            await().atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> this.cluster.openSessionsOf("a", connection) == 0);
            long letGoMillis = millisSince(thawed);
            // what its socket had buffered it read before it let go; counted now, since
            // from here on it may take a connection again under a new lease
            long deliveredAfterLapse = this.cluster.delivered("a") - deliveredBeforeThaw;

            assertThat(deliveredAfterLapse).as("messages a delivered after its lease lapsed").isZero();
            assertThat(letGoMillis).as("from SIGCONT until the frozen holder closed its connection").isLessThan(3_000);
            System.out.println("holder frozen for " + millisSince(frozen) / 1000 + " s (lease TTL "
                    + LEASE_TTL.toMillis() + " ms): delivered after its lease lapsed " + deliveredAfterLapse
                    + ", let its connection go " + letGoMillis + " ms after SIGCONT");
        }
    }

}
