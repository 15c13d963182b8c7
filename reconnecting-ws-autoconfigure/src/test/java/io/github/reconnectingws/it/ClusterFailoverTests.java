package io.github.reconnectingws.it;

import java.util.List;
import java.util.Set;

import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.it.ClusterInstances.LEASE_TTL;
import static io.github.reconnectingws.it.ClusterInstances.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances of a clustered application, each its own JVM, over a real store (PostgreSQL,
 * Redis): connections spread fairly, and spread again when an instance joins, stops
 * gracefully or is killed with SIGKILL. At every poll the server sees each connection from
 * one instance at most. {@link ClusterFencingTests} freezes a holder.
 */
class ClusterFailoverTests {

    @RegisterExtension
    ClusterInstances cluster = new ClusterInstances();

    @Test
    void postgresqlSpreadsAndHandsOverOnJoinStopAndKill() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            scaleOut("postgresql", List.of("--instance.jdbc-url=" + postgres.jdbcUrl()));
        }
    }

    @Test
    void redisSpreadsAndHandsOverOnJoinStopAndKill() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            scaleOut("redis", List.of("--instance.redis-port=" + redis.port()));
        }
    }

    private void scaleOut(String store, List<String> storeArgs) throws Exception {
        int connections = 6;
        this.cluster.start("a", connections, storeArgs);
        this.cluster.start("b", connections, storeArgs);
        this.cluster.awaitSpread(Set.of("a", "b"), (held) -> held.values().stream().allMatch((count) -> count <= 4));

        // a third instance joins: the spread evens out to 2 each
        this.cluster.start("c", connections, storeArgs);
        this.cluster.awaitStarted("c");
        long joined = System.nanoTime();
        this.cluster.awaitSpread(Set.of("a", "b", "c"),
                (held) -> held.values().stream().allMatch((count) -> count == 2));
        long joinMillis = millisSince(joined);

        // graceful stop: its connections elsewhere within 2 s
        long stopped = System.nanoTime();
        this.cluster.jvms().stop("a");
        this.cluster.awaitSpread(Set.of("b", "c"), (held) -> true);
        long gracefulMillis = millisSince(stopped);

        // SIGKILL: the last one takes everything once the lease expires
        long killed = System.nanoTime();
        this.cluster.jvms().kill("b");
        this.cluster.awaitSpread(Set.of("c"), (held) -> true);
        long killMillis = millisSince(killed);

        assertThat(this.cluster.mostAtOnce()).as("sessions of one connection open at once").isEqualTo(1);
        assertThat(joinMillis).as("settled fair after a join").isLessThan(10_000);
        assertThat(gracefulMillis).as("graceful handover").isLessThan(2_000);
        assertThat(killMillis).as("handover after SIGKILL").isLessThan(LEASE_TTL.plusSeconds(2).toMillis());
        System.out.println("cluster over " + store + ", " + connections + " connections: settled 2/2/2 " + joinMillis
                + " ms after a join, graceful handover " + gracefulMillis + " ms, after SIGKILL " + killMillis
                + " ms (lease TTL " + LEASE_TTL.toMillis() + " ms)");
    }

}
