package io.github.reconnectingws.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.github.reconnectingws.clusterapp.ClusterInstanceApplication;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.github.reconnectingws.test.RecordedConnection;
import io.github.reconnectingws.testsupport.ChildJvms;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * Instances of a clustered application, each its own JVM, whose connections go to one
 * mock server; each instance announces itself on every connection it opens, so the server
 * tells which instance holds which connection. An instance extension: after each test the
 * instances and the server are stopped and their files deleted.
 */
final class ClusterInstances implements AfterEachCallback {

    /** Short, to keep the tests short; the default is 10 s (see README). */
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvms instances = new ChildJvms();

    private final MockWebSocketServer server = MockWebSocketServer.create().start();

    private final Path files;

    /** The most sessions open at once for one connection, over every poll. */
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** How many connections each instance has. */
    private int connections;

    ClusterInstances() {
        try {
            this.files = Files.createTempDirectory("cluster-instances");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    MockWebSocketServer server() {
        return this.server;
    }

    ChildJvms jvms() {
        return this.instances;
    }

    /** The most sessions of one connection the server saw open at once, over every poll. */
    int mostAtOnce() {
        return this.mostAtOnce.get();
    }

    /** Starts instance {@code id} with that many connections over the store. */
    void start(String id, int connections, List<String> storeArgs) throws IOException {
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

    void awaitStarted(String id) {
        Path log = this.files.resolve("instance-" + id + ".log");
        await().atMost(TIMEOUT).until(() -> Files.readString(log).contains("INSTANCE-STARTED"));
    }

    /**
     * Once every connection is held by exactly one of {@code live} (one open session each,
     * announced; sessions of other instances, such as a frozen one, aside) and the counts
     * per instance satisfy {@code fair}.
     * @return each connection's holder
     */
    Map<String, String> awaitSpread(Set<String> live, Predicate<Map<String, Long>> fair) {
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

    int openSessionsOf(String instance, String connection) {
        return (int) this.server.openConnections()
            .stream()
            .filter((open) -> connectionName(open).equals(connection) && instance.equals(announcedBy(open)))
            .count();
    }

    /** How many messages the instance's listener received. */
    long delivered(String instance) throws IOException {
        return Files.readAllLines(this.files.resolve("received-" + instance + ".txt")).size();
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        this.instances.close();
        this.server.close();
        try (Stream<Path> paths = Files.walk(this.files)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
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

}
