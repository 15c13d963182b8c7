package io.github.reconnectingws.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.OutboundBufferFullException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.OutboundOverflow;
import io.github.reconnectingws.connection.WebSocketClientResources;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Benchmark 5, soak: one client sends numbered messages without pause (a window of
 * outstanding futures below the outbound buffer size) to /soak, which closes the session
 * after a random 1..40 messages, so the client drops and reconnects about every 20
 * messages. Threads, descriptors and heap after GC at start and end; every accepted
 * message is accounted for: written (future completed) and received by the server, or
 * lost. Backoff is 1 ms (no jitter) so 10,000 cycles take a minute or two instead of the
 * 100 ms+ per cycle of the defaults; everything else is default.
 */
public final class SoakBenchmark {

    static final int WINDOW = 200;

    private final Bench.Options options;

    private final CycleTiming timing = new CycleTiming();

    public SoakBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        int cycles = this.options.intOption("cycles", 10_000, 30);
        long limitSeconds = this.options.intOption("limit-seconds", 900, 60);
        Stats.Table table = new Stats.Table("Soak (" + cycles + " drop/reconnect cycles with traffic, one client)");
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                WebSocketClientResources resources = new WebSocketClientResources();
                Clients.Raw raw = new Clients.Raw(8192, 8192, 1)) {
            ReconnectingWebSocketClient client = Clients.ours(server.url("/soak"), "soak", resources, 64 * 1024, 64 * 1024)
                .backoff(Duration.ofMillis(1), 1.0, 0.0, Duration.ofMillis(1), Duration.ZERO)
                .outbound(1000, OutboundOverflow.REJECT)
                .observer(this.timing)
                .build();
            client.start().get(30, TimeUnit.SECONDS);
            Control control = new Control(raw, server.url("/soak-control"));
            control.ask("RESET");

            Semaphore window = new Semaphore(WINDOW);
            AtomicLong written = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            AtomicLong lastError = new AtomicLong();
            long accepted = 0;
            int seq = 0;
            long startedAt = System.nanoTime();
            long deadline = startedAt + TimeUnit.SECONDS.toNanos(limitSeconds);
            long warmCycles = Math.min(100, cycles / 10);
            long[] start = null;
            long lastReport = startedAt;
            while (client.getReconnectCount() < cycles + warmCycles && System.nanoTime() < deadline) {
                if (start == null && client.getReconnectCount() >= warmCycles) {
                    start = snapshot(client);
                }
                if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                CompletableFuture<Void> future = client.send(String.valueOf(seq++));
                future.whenComplete((ok, error) -> {
                    if (error == null) {
                        written.incrementAndGet();
                    }
                    else if (error instanceof OutboundBufferFullException) {
                        rejected.incrementAndGet();
                    }
                    else {
                        failed.incrementAndGet();
                        lastError.set(System.nanoTime());
                        System.out.println("send failed: " + error);
                    }
                    window.release();
                });
                accepted++;
                if (!this.options.smoke() && System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  %d cycles, %d messages, %.0f s%n", client.getReconnectCount(),
                            seq, (lastReport - startedAt) / 1e9);
                }
            }
            long cyclesDone = client.getReconnectCount() - warmCycles;
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            // let the last messages out, then measure the end state while still connected
            long drainStart = System.nanoTime();
            boolean drained = window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS);
            if (drained) {
                window.release(WINDOW);
            }
            System.out.printf(Locale.ROOT, "drained=%s after %.2f s: state %s, pending %d, outstanding %d%n", drained,
                    (System.nanoTime() - drainStart) / 1e9, client.getState(), client.getPendingCount(),
                    WINDOW - window.availablePermits());
            long[] end = snapshot(client);
            String report = control.ask("REPORT");
            long distinct = Long.parseLong(field(report, "distinct"));
            long duplicates = Long.parseLong(field(report, "duplicates"));
            long acceptedOk = accepted - rejected.get();
            long notWritten = acceptedOk - written.get();
            long notReceived = written.get() - distinct;
            if (start == null) {
                start = end;
            }
            table.info("cycles (reconnects after warm-up of " + warmCycles + ")", String.valueOf(cyclesDone), "");
            table.info("duration s / cycles per s", Stats.fmt(seconds) + " / " + Stats.fmt(cyclesDone / seconds), "");
            table.info("per cycle: connected -> dropped / dropped -> connected, mean ms",
                    this.timing.summary(), "");
            table.info("messages accepted / rejected (buffer full)", acceptedOk + " / " + rejected.get(), "");
            table.info("written (future completed)", String.valueOf(written.get()), "");
            table.absolute("accepted but never written (failed or pending)", notWritten + failed.get() * 0, "",
                    "0", notWritten == 0 && failed.get() == 0);
            table.info("written but not received (in flight when the server closed)",
                    notReceived + " (" + Stats.fmt(100.0 * notReceived / Math.max(1, written.get())) + " %)", "");
            table.info("received twice (re-sent after a failed write)", String.valueOf(duplicates), "");
            table.absolute("threads start -> end", end[0], String.valueOf(start[0]), "flat", end[0] <= start[0] + 2);
            table.absolute("open fds start -> end", end[1], String.valueOf(start[1]), "flat", end[1] <= start[1] + 2);
            double heapGrowthKiB = (end[2] - start[2]) / 1024.0;
            table.absolute("heap after GC start -> end, KiB", end[2] / 1024.0, Stats.fmt(start[2] / 1024.0),
                    "flat (< +1 MiB)", heapGrowthKiB < 1024);
            table.info("heap growth per 1,000 cycles, KiB", Stats.fmt(heapGrowthKiB / Math.max(1, cyclesDone) * 1000), "");
            client.close();
            control.close();
        }
        table.print();
        return table;
    }

    private static String field(String report, String name) {
        for (String part : report.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in " + report);
    }

    /** Where a cycle's time goes: up (until the server's close arrives) and down (reconnecting). */
    static final class CycleTiming implements io.github.reconnectingws.ConnectionObserver {

        private volatile long connectedAt;

        private volatile long droppedAt;

        private final AtomicLong upNanos = new AtomicLong();

        private final AtomicLong downNanos = new AtomicLong();

        private final AtomicLong ups = new AtomicLong();

        private final AtomicLong downs = new AtomicLong();

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
            long now = System.nanoTime();
            if (reconnect && this.droppedAt != 0) {
                this.downNanos.addAndGet(now - this.droppedAt);
                this.downs.incrementAndGet();
            }
            this.connectedAt = now;
        }

        @Override
        public void onDisconnected(ReconnectingWebSocketClient client, org.springframework.web.socket.CloseStatus status,
                Throwable cause) {
            long now = System.nanoTime();
            this.upNanos.addAndGet(now - this.connectedAt);
            this.ups.incrementAndGet();
            this.droppedAt = now;
        }

        String summary() {
            return Stats.fmt(this.upNanos.get() / 1e6 / Math.max(1, this.ups.get())) + " / "
                    + Stats.fmt(this.downNanos.get() / 1e6 / Math.max(1, this.downs.get()));
        }

    }

    /** threads, fds, heap after GC */
    private static long[] snapshot(ReconnectingWebSocketClient client) {
        return new long[] { Probe.threads(), Probe.openFds(), Probe.heapAfterGc() };
    }

    /** A raw connection to /soak-control for RESET and REPORT. */
    static final class Control implements AutoCloseable {

        private final WebSocketSession session;

        private volatile CompletableFuture<String> reply = new CompletableFuture<>();

        Control(Clients.Raw raw, String url) throws Exception {
            this.session = raw.client.execute(new AbstractWebSocketHandler() {
                @Override
                public void handleMessage(WebSocketSession s, WebSocketMessage<?> message) {
                    Control.this.reply.complete((String) message.getPayload());
                }
            }, url).get(30, TimeUnit.SECONDS);
        }

        String ask(String question) throws Exception {
            this.reply = new CompletableFuture<>();
            this.session.sendMessage(new TextMessage(question));
            return this.reply.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            this.session.close();
        }

    }

}
