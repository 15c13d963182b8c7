package io.github.reconnectingws.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.clusterapp.ClusterInstanceApplication;
import io.github.reconnectingws.testsupport.ChildJvms;
import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.RedisServer;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of a clustered application, each its own JVM, over a real lock store
 * (PostgreSQL through the starter's JDBC lock registry; Redis through a RedisLockRegistry
 * bean): one holds the connection; a graceful stop of the holder hands it over at once;
 * a holder killed with SIGKILL is replaced once its lock expires. At every poll the server
 * sees the connection from one instance at most.
 */
class ClusterFailoverTests {

    /** Short, to keep the test short; the default is 10 s (see README). */
    private static final Duration LOCK_TTL = Duration.ofSeconds(3);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvms instances = new ChildJvms();

    private TestWebSocketServer server;

    @AfterEach
    void stopEverything() {
        this.instances.close();
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void postgresqlLockRegistryHandsOverOnStopAndOnKill() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.execute(PostgresServer.intLockDdl());
            failover("jdbc", List.of("--instance.jdbc-url=" + postgres.jdbcUrl(),
                    "--reconnecting.websocket.cluster.lock-ttl=" + LOCK_TTL.toMillis() + "ms"));
        }
    }

    @Test
    void redisLockRegistryHandsOverOnStopAndOnKill() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            failover("redis", List.of("--instance.redis-port=" + redis.port(),
                    "--instance.lock-ttl=" + LOCK_TTL.toMillis() + "ms"));
        }
    }

    private void failover(String store, List<String> storeArgs) throws Exception {
        this.server = TestWebSocketServer.start();
        for (String id : List.of("a", "b", "c")) {
            start(id, storeArgs);
        }
        AtomicInteger mostAtOnce = new AtomicInteger();
        String first = awaitHolder(null, mostAtOnce);

        // graceful stop of the holder: another instance within 2 s
        long stopped = System.nanoTime();
        this.instances.stop(first);
        String second = awaitHolder(first, mostAtOnce);
        long gracefulMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);

        // the new holder killed: the last one once the lock expires
        long killed = System.nanoTime();
        this.instances.kill(second);
        String third = awaitHolder(second, mostAtOnce);
        long killMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

        assertThat(third).isNotIn(first, second);
        assertThat(mostAtOnce.get()).as("connections from different instances at once").isEqualTo(1);
        assertThat(gracefulMillis).as("graceful handover").isLessThan(2_000);
        assertThat(killMillis).as("handover after SIGKILL").isLessThan(LOCK_TTL.plusSeconds(2).toMillis());
        System.out.println("cluster over " + store + ": graceful handover " + gracefulMillis + " ms, after SIGKILL "
                + killMillis + " ms (lock TTL " + LOCK_TTL.toMillis() + " ms)");
    }

    /** The instance that connected last, once it is the only one connected and not {@code previous}. */
    private String awaitHolder(String previous, AtomicInteger mostAtOnce) {
        String[] holder = new String[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            int open = this.server.openSessions();
            mostAtOnce.accumulateAndGet(open, Math::max);
            List<String> announced = this.server.receivedTexts()
                .stream()
                .filter((text) -> text.startsWith("instance:"))
                .toList();
            if (open != 1 || announced.isEmpty()) {
                return false;
            }
            holder[0] = announced.get(announced.size() - 1).substring("instance:".length());
            return !holder[0].equals(previous);
        });
        return holder[0];
    }

    private void start(String id, List<String> storeArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--reconnecting.websocket.url=" + this.server.uri(),
                "--reconnecting.websocket.cluster.enabled=true", "--reconnecting.websocket.backoff.initial-interval=50ms",
                "--logging.level.root=warn"));
        args.addAll(storeArgs);
        File log = Files.createTempFile("cluster-instance-" + id + "-", ".log").toFile();
        log.deleteOnExit();
        this.instances.start(id, ClusterInstanceApplication.class, args, log);
    }

}
