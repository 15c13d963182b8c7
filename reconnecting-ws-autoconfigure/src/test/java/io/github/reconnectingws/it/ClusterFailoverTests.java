package io.github.reconnectingws.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.reconnectingws.clusterapp.ClusterInstanceApplication;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.github.reconnectingws.test.RecordedConnection;
import io.github.reconnectingws.testsupport.ChildJvms;
import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances of a clustered application, each its own JVM, over a real store (PostgreSQL,
 * Redis): connections spread fairly, and spread again when an instance joins, stops
 * gracefully or is killed with SIGKILL; a holder frozen with SIGSTOP past its lease
 * delivers nothing once it wakes up. At every poll the server sees each connection from
 * one instance at most (the frozen one aside, whose socket stays open while it cannot
 * run).
 */
class ClusterFailoverTests {

    /** Short, to keep the test short; the default is 10 s (see README). */
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvms instances = new ChildJvms();

    private final MockWebSocketServer server = MockWebSocketServer.create().start();

    /** The most sessions open at once for one connection, over every poll. */
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** How many connections each instance has. */
    private int connections;

    @TempDir
    Path files;

    @AfterEach
    void stopEverything() {
        this.instances.close();
        this.server.close();
    }

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
        start("a", connections, storeArgs);
        start("b", connections, storeArgs);
        awaitSpread(Set.of("a", "b"), (held) -> held.values().stream().allMatch((count) -> count <= 4));

        // a third instance joins: the spread evens out to 2 each
        start("c", connections, storeArgs);
        awaitStarted("c");
        long joined = System.nanoTime();
        awaitSpread(Set.of("a", "b", "c"), (held) -> held.values().stream().allMatch((count) -> count == 2));
        long joinMillis = millisSince(joined);

        // graceful stop: its connections elsewhere within 2 s
        long stopped = System.nanoTime();
        this.instances.stop("a");
        awaitSpread(Set.of("b", "c"), (held) -> true);
        long gracefulMillis = millisSince(stopped);

        // SIGKILL: the last one takes everything once the lease expires
        long killed = System.nanoTime();
        this.instances.kill("b");
        awaitSpread(Set.of("c"), (held) -> true);
        long killMillis = millisSince(killed);

        assertThat(this.mostAtOnce.get()).as("sessions of one connection open at once").isEqualTo(1);
        assertThat(joinMillis).as("settled fair after a join").isLessThan(10_000);
        assertThat(gracefulMillis).as("graceful handover").isLessThan(2_000);
        assertThat(killMillis).as("handover after SIGKILL").isLessThan(LEASE_TTL.plusSeconds(2).toMillis());
        System.out.println("cluster over " + store + ", " + connections + " connections: settled 2/2/2 " + joinMillis
                + " ms after a join, graceful handover " + gracefulMillis + " ms, after SIGKILL " + killMillis
                + " ms (lease TTL " + LEASE_TTL.toMillis() + " ms)");
    }

    @Test
    void aFrozenHolderDeliversNothingAfterItsLeaseLapsed() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            this.server.tick(Duration.ofMillis(20), (n) -> "{\"seq\":" + n + ",\"price\":1}");
            List<String> storeArgs = List.of("--instance.jdbc-url=" + postgres.jdbcUrl());
            start("a", 2, storeArgs);
            start("b", 2, storeArgs);
            Map<String, String> holders = awaitSpread(Set.of("a", "b"),
                    (held) -> held.values().stream().allMatch((count) -> count == 1));
            await().atMost(TIMEOUT).until(() -> delivered("a") > 10 && delivered("b") > 10);

            long frozen = System.nanoTime();
            this.instances.freeze("a");
            // b takes a's connection once the lease expires; a stays frozen for the TTL + 3 s
            awaitSpread(Set.of("b"), (held) -> millisSince(frozen) > LEASE_TTL.plusSeconds(3).toMillis());
            long deliveredBeforeThaw = delivered("a");
            String connection = holders.entrySet()
                .stream()
                .filter((holder) -> holder.getValue().equals("a"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();

            long thawed = System.nanoTime();
            this.instances.thaw("a");
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> openSessionsOf("a", connection) == 0);
            long letGoMillis = millisSince(thawed);
            // what its socket had buffered it read before it let go; counted now, since
            // from here on it may take a connection again under a new lease
            long deliveredAfterLapse = delivered("a") - deliveredBeforeThaw;

            assertThat(deliveredAfterLapse).as("messages a delivered after its lease lapsed").isZero();
            assertThat(letGoMillis).as("from SIGCONT until the frozen holder closed its connection").isLessThan(3_000);
            System.out.println("holder frozen for " + millisSince(frozen) / 1000 + " s (lease TTL "
                    + LEASE_TTL.toMillis() + " ms): delivered after its lease lapsed " + deliveredAfterLapse
                    + ", let its connection go " + letGoMillis
                    + " ms after SIGCONT");
        }
    }

    /**
     * Once every connection is held by exactly one of {@code live} (one open session each,
     * announced; sessions of other instances, such as a frozen one, aside) and the counts
     * per instance satisfy {@code fair}.
     * @return each connection's holder
     */
    private Map<String, String> awaitSpread(Set<String> live, Predicate<Map<String, Long>> fair) {
        Map<String, String> holders = new HashMap<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            holders.clear();
            Map<String, Integer> open = new HashMap<>();
            Map<String, Integer> openByLive = new HashMap<>();
            for (RecordedConnection connection : this.server.openConnections()) {
                String name = connectionName(connection);
                open.merge(name, 1, Integer::sum);
                String instance = announcedBy(connection);
                if (instance == null || live.contains(instance)) {
                    openByLive.merge(name, 1, Integer::sum);
                    if (instance != null) {
                        holders.put(name, instance);
                    }
                }
            }
            open.values().forEach((count) -> this.mostAtOnce.accumulateAndGet(count, Math::max));
            Map<String, Long> held = new HashMap<>();
            live.forEach((instance) -> held.put(instance, 0L));
            holders.values().forEach((instance) -> held.merge(instance, 1L, Long::sum));
            return holders.size() == this.connections && live.containsAll(holders.values())
                    && openByLive.values().stream().allMatch((count) -> count == 1) && fair.test(held);
        });
        return holders;
    }

    private int openSessionsOf(String instance, String connection) {
        return (int) this.server.openConnections()
            .stream()
            .filter((open) -> connectionName(open).equals(connection) && instance.equals(announcedBy(open)))
            .count();
    }

    private static String connectionName(RecordedConnection connection) {
        String query = connection.handshake().query();
        return (query != null) ? query.substring(query.indexOf('=') + 1) : "";
    }

    private static String announcedBy(RecordedConnection connection) {
        return connection.texts()
            .stream()
            .filter((text) -> text.startsWith("instance:"))
            .map((text) -> text.substring("instance:".length()))
            .findFirst()
            .orElse(null);
    }

    private long delivered(String instance) throws IOException {
        return Files.readAllLines(this.files.resolve("received-" + instance + ".txt")).size();
    }

    private void start(String id, int connections, List<String> storeArgs) throws IOException {
        this.connections = connections;
        Path received = this.files.resolve("received-" + id + ".txt");
        Files.createFile(received);
        List<String> args = new ArrayList<>(List.of("--reconnecting.websocket.cluster.enabled=true",
                "--reconnecting.websocket.cluster.lock-ttl=" + LEASE_TTL.toMillis() + "ms",
                "--reconnecting.websocket.backoff.initial-interval=50ms", "--instance.received-file=" + received,
                "--logging.level.root=warn", "--logging.level.io.github.reconnectingws.cluster=info"));
        for (int i = 0; i < connections; i++) {
            args.add("--reconnecting.websocket.connections.c" + i + ".url=" + this.server.url() + "?c=c" + i);
        }
        args.addAll(storeArgs);
        this.instances.start(id, ClusterInstanceApplication.class, args,
                this.files.resolve("instance-" + id + ".log").toFile());
    }

    private void awaitStarted(String id) {
        Path log = this.files.resolve("instance-" + id + ".log");
        await().atMost(TIMEOUT).until(() -> Files.readString(log).contains("INSTANCE-STARTED"));
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

}
