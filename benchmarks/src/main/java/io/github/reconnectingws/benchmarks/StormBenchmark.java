package io.github.reconnectingws.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Benchmark 3, reconnect storm: N of our clients (default settings, 8 KiB buffers as in
 * benchmark 2) connected to /idle; the server process is killed (SIGKILL) and started
 * again on the same port. Reports the time until all are back, handshakes per second, the
 * attempts per client and a histogram of reconnect times. The raw reference is the rate
 * at which the raw client opens the same N connections from scratch.
 */
public final class StormBenchmark {

    static final int BUFFER = 8 * 1024;

    private final Bench.Options options;

    public StormBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        int count = this.options.intOption("connections", 10_000, 30);
        long limitSeconds = this.options.intOption("limit-seconds", 120, 60);
        // permessage-deflate costs each handshake a deflater and an inflater on both ends: both sides offer it, or neither
        boolean compression = !"off".equals(this.options.extra().get("compression"));
        Stats.Table table = new Stats.Table("Reconnect storm (" + count + " clients, server killed and restarted; compression "
                + (compression ? "offered by both" : "off on both") + ")");
        try (BenchServer server = BenchServer.create(this.options.forkServer(),
                this.options.smoke() ? "-Xmx512m" : "-Xmx4g")) {
            String url = server.url("/idle");
            // raw reference: N fresh connections with the same handshake concurrency
            double rawRate;
            try (Clients.Raw raw = new Clients.Raw(BUFFER, BUFFER, WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY)) {
                WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
                if (compression) {
                    headers.setSecWebSocketExtensions(List.of(new WebSocketExtension("permessage-deflate")));
                }
                URI uri = URI.create(url);
                raw.client.execute(new TextWebSocketHandler(), headers, uri).get(60, TimeUnit.SECONDS).close();
                long start = System.nanoTime();
                List<CompletableFuture<WebSocketSession>> sessions = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    sessions.add(raw.client.execute(new TextWebSocketHandler(), headers, uri));
                }
                int ok = 0;
                for (CompletableFuture<WebSocketSession> session : sessions) {
                    try {
                        session.get(limitSeconds, TimeUnit.SECONDS);
                        ok++;
                    }
                    catch (Exception ex) {
                        // counted
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                rawRate = ok / seconds;
                System.out.printf(Locale.ROOT, "raw: %d fresh connections in %.2f s (%.0f handshakes/s)%n", ok, seconds,
                        rawRate);
                for (CompletableFuture<WebSocketSession> session : sessions) {
                    session.thenAccept((s) -> {
                        try {
                            s.close();
                        }
                        catch (Exception ex) {
                            // closing anyway
                        }
                    });
                }
            }
            Probe.sleep(2000);

            Recorder recorder = new Recorder(count);
            List<ReconnectingWebSocketClient> clients = new ArrayList<>();
            try (WebSocketClientResources resources = new WebSocketClientResources()) {
                long start = System.nanoTime();
                List<CompletableFuture<Void>> started = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ReconnectingWebSocketClient client = Clients.ours(url, String.valueOf(i), resources, BUFFER, BUFFER)
                        .compression(compression)
                        .observer(recorder.observer(i))
                        .build();
                    clients.add(client);
                    started.add(client.start());
                }
                CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(limitSeconds, TimeUnit.SECONDS);
                double firstSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "ours: %d first connections in %.2f s (%.0f handshakes/s)%n", count,
                        firstSeconds, count / firstSeconds);
                Probe.sleep(this.options.smoke() ? 500 : 6000);
                recorder.reset();

                long killedAt = System.nanoTime();
                recorder.killedAt = killedAt;
                server.kill();
                long killDone = System.nanoTime();
                server.start();
                long upAt = System.nanoTime();
                System.out.printf(Locale.ROOT, "server killed, back up after %.2f s%n", (upAt - killedAt) / 1e9);
                long deadline = upAt + TimeUnit.SECONDS.toNanos(limitSeconds);
                long allBackAt = -1;
                while (System.nanoTime() < deadline) {
                    if (recorder.allReconnected()) {
                        allBackAt = System.nanoTime();
                        break;
                    }
                    Probe.sleep(5);
                }
                long connectedNow = clients.stream().filter((c) -> c.getState() == ConnectionState.CONNECTED).count();
                double fromKill = (allBackAt > 0) ? (allBackAt - killedAt) / 1e9 : Double.NaN;
                double fromUp = (allBackAt > 0) ? (allBackAt - upAt) / 1e9 : Double.NaN;
                table.info("clients back / total", connectedNow + " / " + count, "");
                table.info("server down (kill -> ready), s", Stats.fmt((upAt - killedAt) / 1e9), "");
                table.info("kill took, s", Stats.fmt((killDone - killedAt) / 1e9), "");
                table.absolute("all back after server ready, s", fromUp, "", "<= 15 s", !Double.isNaN(fromUp) && fromUp <= 15);
                // what the server allows: the same number of connections opened from scratch by the raw client, above
                table.compare("all back after server ready vs raw's fresh connections, s", fromUp, count / rawRate,
                        Double.NaN, false);
                table.info("all back after kill, s", Stats.fmt(fromKill), "");
                double peak = recorder.peakPerSecond(upAt);
                table.compare("peak successful handshakes/s (1 s window)", peak, rawRate, Double.NaN, true);
                table.info("peak attempts/s incl. refused (1 s window)", Stats.fmt(recorder.peakAttemptsPerSecond()), "");
                String stats = RecoveryBenchmark.fetchStats(server).trim();
                String perSecond = stats.substring(stats.indexOf("perSecond=") + "perSecond=".length());
                java.util.Map<String, Long> counts = RecoveryBenchmark.serverStats(server);
                table.info("upgrade requests at the restarted server: total / peak per second (server clock)",
                        counts.get("upgrades") + " / " + counts.get("peak"), "");
                System.out.println("upgrade requests per second at the restarted server, from its start: " + perSecond);
                table.info("attempts per client: mean / p50 / p99 / max", recorder.attemptsSummary(), "1 (fresh connect)");
                table.info("kill -> drop seen (disconnect callback) p50 / p99 / max, s", recorder.disconnectSummary(), "");
                table.info("reconnect time after kill (drop -> connected) p50 / p90 / p99 / max, s",
                        recorder.reconnectSummary(), "");
                System.out.println("\nhistogram of reconnect times (from the kill; server ready at "
                        + String.format(Locale.ROOT, "%.2f", (upAt - killedAt) / 1e9) + " s):");
                System.out.print(recorder.histogram());
                table.print();
                Clients.closeAll(clients);
            }
        }
        return table;
    }

    /** Collects per-client events of the storm. */
    static final class Recorder {

        final int count;

        final AtomicIntegerArray attempts;

        final AtomicLongArray reconnectedAt;

        final AtomicLongArray disconnectedAt;

        final ConcurrentLinkedQueue<Long> successes = new ConcurrentLinkedQueue<>();

        final ConcurrentLinkedQueue<Long> allAttempts = new ConcurrentLinkedQueue<>();

        volatile boolean armed;

        volatile long killedAt;

        final java.util.concurrent.atomic.AtomicInteger back = new java.util.concurrent.atomic.AtomicInteger();

        Recorder(int count) {
            this.count = count;
            this.attempts = new AtomicIntegerArray(count);
            this.reconnectedAt = new AtomicLongArray(count);
            this.disconnectedAt = new AtomicLongArray(count);
        }

        void reset() {
            this.successes.clear();
            this.allAttempts.clear();
            this.armed = true;
        }

        boolean allReconnected() {
            return this.back.get() >= this.count;
        }

        ConnectionObserver observer(int index) {
            return new ConnectionObserver() {
                @Override
                public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
                    if (!Recorder.this.armed) {
                        return;
                    }
                    long now = System.nanoTime();
                    Recorder.this.attempts.incrementAndGet(index);
                    Recorder.this.allAttempts.add(now);
                    if (success) {
                        Recorder.this.successes.add(now);
                    }
                }

                @Override
                public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
                    if (Recorder.this.armed && reconnect && Recorder.this.reconnectedAt.compareAndSet(index, 0, System.nanoTime())) {
                        Recorder.this.back.incrementAndGet();
                    }
                }

                @Override
                public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
                        @Nullable Throwable cause) {
                    if (Recorder.this.armed) {
                        Recorder.this.disconnectedAt.compareAndSet(index, 0, System.nanoTime());
                    }
                }

                @Override
                public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                        @Nullable Throwable cause) {
                }
            };
        }

        double peakPerSecond(long from) {
            return peak(this.successes);
        }

        double peakAttemptsPerSecond() {
            return peak(this.allAttempts);
        }

        private static double peak(ConcurrentLinkedQueue<Long> times) {
            long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
            int best = 0;
            int lo = 0;
            for (int hi = 0; hi < sorted.length; hi++) {
                while (sorted[hi] - sorted[lo] >= 1_000_000_000L) {
                    lo++;
                }
                best = Math.max(best, hi - lo + 1);
            }
            return best;
        }

        String attemptsSummary() {
            long[] values = new long[this.count];
            long sum = 0;
            for (int i = 0; i < this.count; i++) {
                values[i] = this.attempts.get(i);
                sum += values[i];
            }
            return String.format(Locale.ROOT, "%.2f / %d / %d / %d", (double) sum / this.count,
                    Stats.percentile(values, this.count, 50), Stats.percentile(values, this.count, 99),
                    Stats.percentile(values, this.count, 100));
        }

        private long[] reconnectMillis() {
            long[] values = new long[this.count];
            int n = 0;
            for (int i = 0; i < this.count; i++) {
                long at = this.reconnectedAt.get(i);
                if (at > 0) {
                    values[n++] = (at - this.killedAt) / 1_000_000;
                }
            }
            return java.util.Arrays.copyOf(values, n);
        }

        String disconnectSummary() {
            long[] values = new long[this.count];
            int n = 0;
            for (int i = 0; i < this.count; i++) {
                long at = this.disconnectedAt.get(i);
                if (at > 0) {
                    values[n++] = (at - this.killedAt) / 1_000_000;
                }
            }
            return String.format(Locale.ROOT, "%.2f / %.2f / %.2f (%d clients)", Stats.percentile(values, n, 50) / 1e3,
                    Stats.percentile(values, n, 99) / 1e3, Stats.percentile(values, n, 100) / 1e3, n);
        }

        String reconnectSummary() {
            long[] values = reconnectMillis();
            int n = values.length;
            return String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", Stats.percentile(values, n, 50) / 1e3,
                    Stats.percentile(values, n, 90) / 1e3, Stats.percentile(values, n, 99) / 1e3,
                    Stats.percentile(values, n, 100) / 1e3);
        }

        String histogram() {
            long[] values = reconnectMillis();
            if (values.length == 0) {
                return "  (none)\n";
            }
            long max = java.util.Arrays.stream(values).max().getAsLong();
            long bucket = (max > 20_000) ? 2000 : (max > 5000) ? 500 : 250;
            int buckets = (int) (max / bucket) + 1;
            int[] counts = new int[buckets];
            for (long value : values) {
                counts[(int) (value / bucket)]++;
            }
            int most = java.util.Arrays.stream(counts).max().getAsInt();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < buckets; i++) {
                out.append(String.format(Locale.ROOT, "  %6.2f-%6.2f s %6d %s%n", i * bucket / 1e3, (i + 1) * bucket / 1e3,
                        counts[i], "#".repeat((int) Math.ceil(50.0 * counts[i] / most))));
            }
            return out.toString();
        }

    }

}
