package io.github.reconnectingws.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Benchmark 4, recovery latency, default settings throughout.
 * <ol>
 * <li>Plain drop: a connected client asks /echo to close it (the server closes with 1012);
 * measured from the client seeing the drop to an echo answered on the new connection.
 * Each sample is a fresh client, so the drop is the first of its outage, exactly as for a
 * connection that has been stable longer than stable-after (the backoff starts at
 * initial-interval).</li>
 * <li>Outage: clients connected; the server process is killed, stays down 0.5-1.5 s and is
 * started again; for each client the time it connected minus the time its last attempt was
 * scheduled for (when {@code onReconnecting} fired, plus the delay it announced).</li>
 * </ol>
 * The raw reference is what the raw client needs to be usable again by hand: a fresh
 * handshake plus one echo.
 */
public final class RecoveryBenchmark {

    private final Bench.Options options;

    public RecoveryBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        int drops = this.options.intOption("drops", 40, 3);
        int outageClients = this.options.intOption("outage-clients", 20, 3);
        int outages = this.options.intOption("outages", 5, 1);
        Stats.Table table = new Stats.Table("Recovery latency (defaults: initial-interval 100 ms, randomization 0.5)");
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                WebSocketClientResources resources = new WebSocketClientResources();
                Clients.Raw raw = new Clients.Raw(64 * 1024, 64 * 1024, WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY)) {
            String url = server.url("/echo");

            // raw: fresh handshake + one echo
            List<Double> rawUsable = new ArrayList<>();
            for (int i = 0; i < drops + 5; i++) {
                CompletableFuture<Void> echoed = new CompletableFuture<>();
                long t0 = System.nanoTime();
                WebSocketSession session = raw.client.execute(new AbstractWebSocketHandler() {
                    @Override
                    public void handleMessage(WebSocketSession s, WebSocketMessage<?> message) {
                        echoed.complete(null);
                    }
                }, url).get(30, TimeUnit.SECONDS);
                session.sendMessage(new org.springframework.web.socket.TextMessage("probe"));
                echoed.get(30, TimeUnit.SECONDS);
                if (i >= 5) {
                    rawUsable.add((System.nanoTime() - t0) / 1e6);
                }
                session.close();
            }

            // ours: plain drop
            List<Double> usable = new ArrayList<>();
            List<Double> connected = new ArrayList<>();
            List<Double> delays = new ArrayList<>();
            List<Double> overhead = new ArrayList<>();
            for (int i = 0; i < drops + 3; i++) {
                DropProbe probe = new DropProbe();
                ReconnectingWebSocketClient client = Clients.ours(url, "drop" + i, resources, 64 * 1024, 64 * 1024)
                    .observer(probe)
                    .messageHandler((c, s, m) -> probe.echoed.complete(System.nanoTime()))
                    .build();
                client.start().get(30, TimeUnit.SECONDS);
                client.send("warm");
                probe.echoed.get(30, TimeUnit.SECONDS);
                probe.echoed = new CompletableFuture<>();
                Probe.sleep(50);
                client.send("DROP");
                probe.reconnected.get(30, TimeUnit.SECONDS);
                client.send("probe");
                long echoedAt = probe.echoed.get(30, TimeUnit.SECONDS);
                if (i >= 3) {
                    usable.add((echoedAt - probe.droppedAt) / 1e6);
                    connected.add((probe.connectedAt - probe.droppedAt) / 1e6);
                    delays.add(probe.delayMillis);
                    overhead.add((probe.connectedAt - probe.scheduledFor) / 1e6);
                }
                client.close();
            }
            double usableMedian = Stats.median(usable);
            table.absolute("plain drop -> usable (echo answered), median ms", usableMedian,
                    Stats.fmt(Stats.median(rawUsable)) + " (fresh connect+echo)", "<= 200 ms", usableMedian <= 200);
            table.info("plain drop -> usable, p90 / max ms", Stats.fmt(pct(usable, 90)) + " / " + Stats.fmt(pct(usable, 100)), "");
            table.info("plain drop -> CONNECTED, median ms", Stats.fmt(Stats.median(connected)), "");
            table.info("backoff delay drawn, median ms", Stats.fmt(Stats.median(delays)), "");
            table.compare("CONNECTED - scheduled attempt time (drop), median ms", Stats.median(overhead),
                    Stats.median(rawUsable), Double.NaN, false);

            // ours: outage
            List<OutageProbe> probes = new ArrayList<>();
            List<ReconnectingWebSocketClient> clients = new ArrayList<>();
            for (int i = 0; i < outageClients; i++) {
                OutageProbe probe = new OutageProbe();
                ReconnectingWebSocketClient client = Clients.ours(url, "outage" + i, resources, 64 * 1024, 64 * 1024)
                    .observer(probe)
                    .build();
                client.start().get(30, TimeUnit.SECONDS);
                probes.add(probe);
                clients.add(client);
            }
            List<Double> late = new ArrayList<>();
            List<Double> attempts = new ArrayList<>();
            List<Double> afterUp = new ArrayList<>();
            for (int o = 0; o < outages; o++) {
                probes.forEach(OutageProbe::arm);
                server.kill();
                Probe.sleep(ThreadLocalRandom.current().nextLong(500, 1500));
                server.start();
                long upAt = System.nanoTime();
                for (OutageProbe probe : probes) {
                    probe.reconnected.get(120, TimeUnit.SECONDS);
                    late.add((probe.connectedAt - probe.scheduledFor) / 1e6);
                    attempts.add((double) probe.attempts);
                    afterUp.add((probe.connectedAt - upAt) / 1e6);
                }
                System.out.printf(Locale.ROOT, "outage %d: %d clients back%n", o + 1, probes.size());
                // stay up past stable-after (5 s) so the next outage starts from initial-interval
                Probe.sleep(this.options.smoke() ? 100 : 5500);
            }
            double lateMedian = Stats.median(late);
            table.absolute("outage: CONNECTED - scheduled attempt time, median ms", lateMedian, "", "<= +20 ms",
                    lateMedian <= 20);
            table.info("outage: CONNECTED - scheduled, p90 / max ms", Stats.fmt(pct(late, 90)) + " / " + Stats.fmt(pct(late, 100)), "");
            table.info("outage: attempts per client, median", Stats.fmt(Stats.median(attempts)), "");
            table.info("outage: server ready -> CONNECTED, median ms", Stats.fmt(Stats.median(afterUp)), "");
            table.info("samples (drop / outage)", usable.size() + " / " + late.size(), "");
            Clients.closeAll(clients);
        }
        table.print();
        return table;
    }

    private static double pct(List<Double> values, double p) {
        long[] micros = values.stream().mapToLong((v) -> Math.round(v * 1000)).toArray();
        return Stats.percentile(micros, micros.length, p) / 1000.0;
    }

    static class DropProbe implements ConnectionObserver {

        volatile long droppedAt;

        volatile long connectedAt;

        volatile long scheduledFor;

        volatile double delayMillis;

        volatile CompletableFuture<Long> echoed = new CompletableFuture<>();

        final CompletableFuture<Void> reconnected = new CompletableFuture<>();

        @Override
        public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
                @Nullable Throwable cause) {
            this.droppedAt = System.nanoTime();
        }

        @Override
        public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                @Nullable Throwable cause) {
            this.delayMillis = delay.toMillis();
            this.scheduledFor = System.nanoTime() + delay.toNanos();
        }

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
            if (reconnect) {
                this.connectedAt = System.nanoTime();
                this.reconnected.complete(null);
            }
        }

    }

    static final class OutageProbe extends DropProbe {

        volatile int attempts;

        volatile CompletableFuture<Void> reconnected = new CompletableFuture<>();

        void arm() {
            this.attempts = 0;
            this.reconnected = new CompletableFuture<>();
        }

        @Override
        public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
            this.attempts++;
        }

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
            if (reconnect) {
                this.connectedAt = System.nanoTime();
                this.reconnected.complete(null);
            }
        }

    }

}
