package io.github.reconnectingws.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.reconnectingws.clusterapp.ClusterInstanceApplication;
import io.github.reconnectingws.resume.JdbcResumePositionStore;
import io.github.reconnectingws.testsupport.ChildJvms;
import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.SequenceFeedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A clustered connection with {@code resume.store: jdbc} under a 1,000 msg/s feed that
 * keeps its history, two instances in separate JVMs over a real PostgreSQL; the union of
 * what both instances' listeners received: every position exactly once across a graceful
 * handover, at least once across a holder killed with SIGKILL (repeats only within the
 * store's flush window), and at least once without deduplication.
 */
class ResumeFailoverTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildJvms instances = new ChildJvms();

    private final Map<String, Path> receivedFiles = new LinkedHashMap<>();

    private SequenceFeedServer feed;

    @TempDir
    Path files;

    @AfterEach
    void stopEverything() {
        this.instances.close();
        if (this.feed != null) {
            this.feed.close();
        }
    }

    @Test
    void gracefulHandoverDeliversEveryPositionExactlyOnce() throws Exception {
        Map<Long, Integer> deliveries = failover(true, false);
        assertThat(deliveries.values()).as("every position exactly once").allMatch((count) -> count == 1);
    }

    @Test
    void aKilledHolderRepeatsOnlyWithinTheFlushWindow() throws Exception {
        Map<Long, Integer> deliveries = failover(true, true);
        long repeated = deliveries.values().stream().filter((count) -> count > 1).count();
        System.out.println("resume across SIGKILL: " + repeated + " positions delivered twice (flush interval 200 ms, "
                + "1,000 msg/s)");
        assertThat(deliveries.values()).as("every position at least once").allMatch((count) -> count >= 1);
        // 200 ms of positions at 1,000 msg/s, with room for a loaded machine
        assertThat(repeated).isLessThan(1_000);
    }

    @Test
    void withoutDeduplicationEveryPositionArrivesAtLeastOnce() throws Exception {
        Map<Long, Integer> deliveries = failover(false, false);
        assertThat(deliveries.values()).allMatch((count) -> count >= 1);
    }

    /** @return how often each position was delivered, across both instances */
    private Map<Long, Integer> failover(boolean deduplicate, boolean kill) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.execute(JdbcResumePositionStore.DDL);
            this.feed = SequenceFeedServer.start();
            List<String> args = List.of("--instance.jdbc-url=" + postgres.jdbcUrl(),
                    "--reconnecting.websocket.cluster.lock-ttl=3s", "--reconnecting.websocket.resume.position=/seq",
                    "--reconnecting.websocket.resume.store=jdbc",
                    "--reconnecting.websocket.resume.deduplicate=" + deduplicate);
            for (String id : List.of("a", "b")) {
                start(id, args);
            }
            String holder = awaitHolder(null);
            this.feed.startPublishing(1000);
            await().atMost(TIMEOUT).until(() -> lines(holder) > 1_000);
            if (kill) {
                this.instances.kill(holder);
            }
            else {
                this.instances.stop(holder);
            }
            String next = awaitHolder(holder);
            await().atMost(TIMEOUT).until(() -> lines(next) > 1_000);
            long last = this.feed.stopPublishing();
            await().atMost(TIMEOUT).until(() -> deliveries().containsKey(last));
            Map<Long, Integer> deliveries = deliveries();
            long first = deliveries.keySet().iterator().next();
            List<Long> missing = new ArrayList<>();
            for (long seq = first; seq <= last; seq++) {
                if (!deliveries.containsKey(seq)) {
                    missing.add(seq);
                }
            }
            assertThat(missing).as("positions no instance delivered").isEmpty();
            return deliveries;
        }
    }

    private String awaitHolder(String previous) {
        String[] holder = new String[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
            List<String> announced = this.feed.receivedTexts()
                .stream()
                .filter((text) -> text.startsWith("instance:"))
                .toList();
            if (this.feed.openSessions() != 1 || announced.isEmpty()) {
                return false;
            }
            holder[0] = announced.get(announced.size() - 1).substring("instance:".length());
            return !holder[0].equals(previous);
        });
        return holder[0];
    }

    private long lines(String id) throws IOException {
        return Files.readAllLines(this.receivedFiles.get(id)).size();
    }

    private Map<Long, Integer> deliveries() throws IOException {
        Map<Long, Integer> deliveries = new TreeMap<>();
        for (Path file : this.receivedFiles.values()) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    deliveries.merge(Long.parseLong(line.trim()), 1, Integer::sum);
                }
            }
        }
        return deliveries;
    }

    private void start(String id, List<String> extra) throws IOException {
        Path received = this.files.resolve("received-" + id + ".txt");
        Files.createFile(received);
        this.receivedFiles.put(id, received);
        List<String> args = new ArrayList<>(List.of(
                "--reconnecting.websocket.url=" + this.feed.uri() + "?since={position}",
                "--reconnecting.websocket.cluster.enabled=true", "--reconnecting.websocket.backoff.initial-interval=50ms",
                "--instance.received-file=" + received, "--logging.level.root=warn"));
        args.addAll(extra);
        this.instances.start(id, ClusterInstanceApplication.class, args,
                this.files.resolve("instance-" + id + ".log").toFile());
    }

}
