package io.github.reconnectingws.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.reconnectingws.benchmarks.client.ClusterInstanceBenchApplication;

/**
 * Cluster scale-out: N clustered connections over instances in separate JVMs, against a
 * real PostgreSQL and a real Redis. The feed ({@code /cluster} of the forked benchmark
 * server) counts each connection's sessions and every second holder. Measured per store:
 * the spread once settled over three instances, threads per instance (against one instance
 * with the same connections and no cluster), store operations per second per instance
 * once settled, a graceful stop, a fourth instance joining, a SIGKILL, and a holder
 * frozen with SIGSTOP for the lease TTL + 3 s (what it delivers after its lease lapsed,
 * and how long it takes to let its connections go after SIGCONT).
 */
final class ClusterBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(180);

    private final Bench.Options options;

    private final HttpClient http = HttpClient.newHttpClient();

    private BenchServer server;

    private Path files;

    ClusterBenchmark(Bench.Options options) {
        this.options = options;
    }

    Stats.Table run() throws Exception {
        int connections = this.options.intOption("connections", 1000, 12);
        Duration ttl = Duration.ofSeconds(this.options.intOption("ttl", 5, 3));
        String stores = this.options.extra().getOrDefault("stores", "postgresql,redis");
        System.out.println("cluster scale-out: " + connections + " connections, lease TTL " + ttl.toSeconds()
                + " s, heartbeat 500 ms (default)");
        this.files = Files.createTempDirectory("rws-bench-cluster-");
        this.server = BenchServer.create(true);
        Stats.Table table = new Stats.Table("Cluster scale-out: " + connections + " connections, lease TTL "
                + ttl.toSeconds() + " s", "measured", "");
        try {
            for (String store : stores.split(",")) {
                runStore(table, store.trim(), connections, ttl);
            }
        }
        finally {
            this.server.close();
        }
        table.print();
        return table;
    }

    private void runStore(Stats.Table table, String store, int connections, Duration ttl) throws Exception {
        String unavailable = store.equals("redis") ? BenchRedis.unavailableReason() : BenchPostgres.unavailableReason();
        if (unavailable != null) {
            table.info(store, "skipped: " + unavailable, "");
            return;
        }
        AutoCloseable started;
        List<String> storeArgs;
        if (store.equals("redis")) {
            BenchRedis redis = BenchRedis.start();
            started = redis;
            storeArgs = List.of("--bench.redis-port=" + redis.port());
        }
        else {
            BenchPostgres postgres = BenchPostgres.start();
            started = postgres;
            storeArgs = List.of("--bench.jdbc-url=" + postgres.jdbcUrl());
        }
        Map<String, Instance> instances = new LinkedHashMap<>();
        try {
            // the same instance without cluster: its threads are the baseline
            Instance alone = new Instance(store + "-alone", connections, false, ttl, storeArgs);
            instances.put(alone.id, alone);
            awaitFeed(store + "-alone held all", (stats) -> stats.count(alone.id) == connections);
            int baseThreads = alone.settledThreads();
            alone.stop();
            awaitFeed("alone gone", (stats) -> stats.held == 0);
            // the feed counts over the whole run: the cluster's part starts here (a storm
            // of 1,000 first connects may leave a timed-out handshake's session open
            // briefly at the server while the client retries: not two holders)
            int overlapsBefore = stats().overlaps;

            List<Instance> three = new ArrayList<>();
            for (String id : List.of("i1", "i2", "i3")) {
                Instance instance = new Instance(store + "-" + id, connections, true, ttl, storeArgs);
                instances.put(instance.id, instance);
                three.add(instance);
            }
            three.forEach(Instance::awaitStarted);
            long start = System.nanoTime();
            int aim3 = (connections + 2) / 3;
            FeedCounts settled = awaitFeed("spread over three", (stats) -> stats.held == connections
                    && three.stream().allMatch((i) -> stats.count(i.id) > 0 && stats.count(i.id) <= aim3 + 1));
            long settleMillis = millisSince(start);
            int threads = three.stream().mapToInt(Instance::settledThreads).max().orElse(0);
            long opsBefore = three.stream().mapToLong((i) -> i.ops).sum();
            long window = System.nanoTime();
            awaitFor(Duration.ofSeconds(10));
            double opsPerSecond = (three.stream().mapToLong((i) -> i.ops).sum() - opsBefore) / 3.0
                    / (millisSince(window) / 1000.0);

            long stopped = System.nanoTime();
            Instance i1 = three.get(0);
            Instance i2 = three.get(1);
            Instance i3 = three.get(2);
            i1.stop();
            awaitFeed("i1's connections elsewhere",
                    (stats) -> stats.count(i2.id) + stats.count(i3.id) == connections && stats.count(i1.id) == 0);
            long gracefulMillis = millisSince(stopped);

            Instance i4 = new Instance(store + "-i4", connections, true, ttl, storeArgs);
            instances.put(i4.id, i4);
            i4.awaitStarted();
            long joined = System.nanoTime();
            awaitFeed("fair with i4", (stats) -> stats.held == connections
                    && List.of(i2, i3, i4).stream().allMatch((i) -> stats.count(i.id) <= aim3 + 1));
            long joinMillis = millisSince(joined);
            int overlaps = stats().overlaps - overlapsBefore;

            long killed = System.nanoTime();
            i2.kill();
            awaitFeed("i2's connections elsewhere",
                    (stats) -> stats.count(i3.id) + stats.count(i4.id) == connections && stats.count(i2.id) == 0);
            long killMillis = millisSince(killed);

            long frozen = System.nanoTime();
            i3.signal("-STOP");
            awaitFeed("i4 holds all", (stats) -> stats.count(i4.id) == connections);
            long takeoverMillis = millisSince(frozen);
            awaitFor(ttl.plusSeconds(3).minusMillis(millisSince(frozen)));
            long deliveredFrozen = i3.delivered();
            long thawed = System.nanoTime();
            i3.signal("-CONT");
            try {
                awaitFeed("i3 let go", (stats) -> stats.count(i3.id) == 0);
            }
            catch (IllegalStateException ex) {
                throw new IllegalStateException(ex.getMessage() + "; i3: " + i3.lastStatus, ex);
            }
            long letGoMillis = millisSince(thawed);
            // counted now: from here on i3 may take connections again under a new lease
            long deliveredAfterLapse = i3.delivered() - deliveredFrozen;

            int spreadMax = settled.instances.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            table.info(store + ": spread over 3 once settled", settled.instances.toString(), "");
            table.absolute(store + ": most held by one instance", spreadMax, "", "<= " + (aim3 + 1), spreadMax <= aim3 + 1);
            table.info(store + ": settled after the three started", settleMillis + " ms", "");
            table.absolute(store + ": threads per instance, cluster (alone: " + baseThreads + ")", threads, "",
                    "<= " + (baseThreads + 10), threads <= baseThreads + 10);
            table.absolute(store + ": store operations per second per instance", opsPerSecond, "", "<= 10",
                    opsPerSecond <= 10);
            table.absolute(store + ": graceful stop, all held elsewhere (ms)", gracefulMillis, "", "<= 2000",
                    gracefulMillis <= 2000);
            table.absolute(store + ": a fourth joins, settled fair (ms)", joinMillis, "", "<= 10000",
                    joinMillis <= 10_000);
            table.absolute(store + ": two holders of one connection at once", overlaps, "", "0", overlaps == 0);
            table.absolute(store + ": SIGKILL, all held elsewhere (ms)", killMillis, "",
                    "<= TTL + 2000 = " + (ttl.toMillis() + 2000), killMillis <= ttl.toMillis() + 2000);
            table.info(store + ": SIGSTOP, all held by the others after", takeoverMillis + " ms", "");
            table.absolute(store + ": SIGSTOP for TTL + 3 s, delivered after the lease lapsed", deliveredAfterLapse,
                    "", "0", deliveredAfterLapse == 0);
            table.absolute(store + ": SIGCONT, connections let go (ms)", letGoMillis, "", "<= 1000",
                    letGoMillis <= 1000);
        }
        finally {
            instances.values().forEach(Instance::kill);
            started.close();
        }
    }

    private FeedCounts awaitFeed(String what, Predicate<FeedCounts> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        FeedCounts stats = stats();
        while (!condition.test(stats)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + WAIT.toSeconds() + " s: " + what + " (" + stats
                        + ")");
            }
            awaitFor(Duration.ofMillis(20));
            stats = stats();
        }
        return stats;
    }

    private FeedCounts stats() throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + "/cluster-stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return FeedCounts.parse(response.body());
    }

    private static void awaitFor(Duration duration) throws InterruptedException {
        if (!duration.isNegative()) {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** What the feed counts. */
    record FeedCounts(int held, int overlaps, Map<String, Integer> instances) {

        static FeedCounts parse(String body) {
            Map<String, String> fields = new HashMap<>();
            for (String pair : body.trim().split(" ")) {
                int eq = pair.indexOf('=');
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            Map<String, Integer> instances = new LinkedHashMap<>();
            String list = fields.getOrDefault("instances", "");
            if (!list.isEmpty()) {
                for (String entry : list.split(",")) {
                    int colon = entry.lastIndexOf(':');
                    instances.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
                }
            }
            return new FeedCounts(Integer.parseInt(fields.get("held")), Integer.parseInt(fields.get("overlaps")), instances);
        }

        int count(String instance) {
            return this.instances.getOrDefault(instance, 0);
        }

    }

    /** One instance's JVM. */
    private final class Instance {

        final String id;

        final Process process;

        final Path received;

        volatile long ops;

        volatile String lastStatus = "";

        volatile int threads;

        volatile boolean started;

        Instance(String id, int connections, boolean clustered, Duration ttl, List<String> storeArgs)
                throws IOException {
            this.id = id;
            this.received = ClusterBenchmark.this.files.resolve("received-" + id + ".txt");
            Files.deleteIfExists(this.received);
            Files.createFile(this.received);
            List<String> command = BenchServer.javaCommand();
            command.addAll(List.of("-Xmx512m",
                    "-Dinstance.id=" + id, "-cp", System.getProperty("java.class.path"),
                    ClusterInstanceBenchApplication.class.getName(),
                    "--reconnecting.websocket.cluster.enabled=" + clustered,
                    "--reconnecting.websocket.cluster.lock-ttl=" + ttl.toMillis() + "ms",
                    "--reconnecting.websocket.compression.enabled=false",
                    "--bench.received-file=" + this.received, "--logging.level.root=warn",
                    "--logging.level.io.github.reconnectingws.cluster=info"));
            command.addAll(storeArgs);
            String feed = "ws://127.0.0.1:" + ClusterBenchmark.this.server.port() + "/cluster?c=c";
            for (int i = 0; i < connections; i++) {
                command.add("--reconnecting.websocket.connections.c" + i + ".url=" + feed + i);
            }
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(this.process::destroyForcibly));
            Thread reader = new Thread(this::read, "instance-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("STATUS ")) {
                        this.lastStatus = line;
                        for (String pair : line.substring(7).split(" ")) {
                            int eq = pair.indexOf('=');
                            String value = pair.substring(eq + 1);
                            switch (pair.substring(0, eq)) {
                                case "threads" -> this.threads = Integer.parseInt(value);
                                case "ops" -> this.ops = Long.parseLong(value);
                                default -> {
                                }
                            }
                        }
                    }
                    else if (line.startsWith("INSTANCE-STARTED")) {
                        this.started = true;
                    }
                    else if (!line.isBlank()) {
                        System.out.println("  [" + this.id + "] " + line);
                    }
                }
            }
            catch (IOException ex) {
                // ended
            }
        }

        void awaitStarted() {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!this.started) {
                if (System.nanoTime() > deadline || !this.process.isAlive()) {
                    throw new IllegalStateException("instance " + this.id + " did not start");
                }
                try {
                    awaitFor(Duration.ofMillis(20));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** The thread count once it has held still for a second. */
        int settledThreads() {
            try {
                awaitFor(Duration.ofSeconds(2));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return this.threads;
        }

        long delivered() throws IOException {
            return Files.readAllLines(this.received).size();
        }

        void stop() {
            try {
                this.process.getOutputStream().close();
            }
            catch (IOException ex) {
                // gone already
            }
        }

        void kill() {
            this.process.destroyForcibly();
        }

        void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        }

    }

}
