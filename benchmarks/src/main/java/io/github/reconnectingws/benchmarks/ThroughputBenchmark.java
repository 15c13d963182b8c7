package io.github.reconnectingws.benchmarks;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.benchmarks.client.ListenerClientApplication;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Benchmark 1, throughput: pipelined 64 B text and 16 KiB binary out, 64 B text in, echo
 * round trips; ours (the starter's client beans and {@code @WebSocketListener} methods) and
 * raw (StandardWebSocketClient sessions and an AbstractWebSocketHandler) alternately on the
 * same server, in the same JVM, several runs.
 * CPU per message is this (client) process's CPU time over the messages; the server runs
 * in its own process.
 */
public final class ThroughputBenchmark {

    static final int MAX_TEXT = 64 * 1024;

    static final int MAX_BINARY = 64 * 1024;

    private final Bench.Options options;

    private final int textCount;

    private final int binaryCount;

    private final int inboundCount;

    private final int echoCount;

    private final String text64 = "x".repeat(64);

    private final byte[] binary16k = new byte[16 * 1024];

    /** whether both sides offer permessage-deflate: ours does by default, so raw offers it too */
    private final boolean compression;

    /** every run's figures, ours and raw */
    private final Stats.Paired results = new Stats.Paired();

    public ThroughputBenchmark(Bench.Options options) {
        this.options = options;
        this.textCount = options.intOption("text", 100_000, 1000);
        this.binaryCount = options.intOption("binary", 5_000, 50);
        this.inboundCount = options.intOption("inbound", 100_000, 1000);
        this.echoCount = options.intOption("echo", 10_000, 100);
        this.compression = !"off".equals(options.extra().get("compression"));
    }

    public Stats.Table run() throws Exception {
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                Clients.Raw raw = new Clients.Raw(MAX_TEXT, MAX_BINARY, 2)) {
            Side ours = new OursSide(server, this.compression);
            Side rawSide = new RawSide(server, raw, this.compression);
            System.out.println("extensions agreed: ours " + ours.extensions() + ", raw " + rawSide.extensions());
            if (!this.options.smoke()) {
                System.out.println("warm-up ...");
                for (int i = 0; i < 2; i++) {
                    round(ours, rawSide, 5, false);
                }
            }
            int runs = this.options.runs();
            for (int run = 1; run <= runs; run++) {
                System.out.println("run " + run + "/" + runs + " ...");
                // alternate who goes first, so drift in machine load does not favour one
                if (run % 2 == 1) {
                    round(ours, rawSide, 1, true);
                }
                else {
                    round(rawSide, ours, 1, true);
                }
            }
            ours.close();
            rawSide.close();
        }
        Stats.Table table = new Stats.Table("Throughput (median of " + this.options.runs() + " runs; compression "
                + (this.compression ? "on" : "off") + " on both sides; text "
                + this.textCount + " x 64 B, binary " + this.binaryCount + " x 16 KiB, inbound " + this.inboundCount
                + " x 64 B, echo " + this.echoCount + " x 64 B)");
        this.results.row(table, "outbound 64 B text, msgs/s", 0.95, true);
        this.results.row(table, "outbound 64 B text, CPU us/msg", 1.10, false);
        this.results.row(table, "outbound 16 KiB binary, MiB/s", 0.95, true);
        this.results.row(table, "outbound 16 KiB binary, CPU us/msg", 1.10, false);
        this.results.row(table, "inbound 64 B text, msgs/s", 0.95, true);
        this.results.row(table, "inbound 64 B text, CPU us/msg", 1.10, false);
        this.results.row(table, "echo round trips/s", 0.95, true);
        this.results.row(table, "echo p50 us", 1.05, false);
        this.results.row(table, "echo p99 us", Double.NaN, false);
        this.results.row(table, "echo CPU us/round trip", 1.10, false);
        this.results.row(table, "outbound 64 B text, context switches/msg", Double.NaN, false);
        this.results.row(table, "inbound 64 B text, context switches/msg", Double.NaN, false);
        this.results.row(table, "echo context switches/round trip", Double.NaN, false);
        this.results.row(table, "outbound 64 B text, allocated B/msg", Double.NaN, false);
        this.results.row(table, "outbound 16 KiB binary, allocated B/msg", Double.NaN, false);
        this.results.row(table, "inbound 64 B text, allocated B/msg", Double.NaN, false);
        this.results.row(table, "echo allocated B/round trip", Double.NaN, false);
        table.print();
        this.results.printPerRun("raw");
        return table;
    }

    private void round(Side first, Side second, int divisor, boolean record) throws Exception {
        String only = this.options.extra().get("only");
        for (Side side : new Side[] { first, second }) {
            if (only != null && side.isOurs() != only.equals("ours")) {
                continue;
            }
            measureOutbound(side, "outbound 64 B text", this.textCount / divisor, false, record);
            measureOutbound(side, "outbound 16 KiB binary", this.binaryCount / divisor, true, record);
            measureInbound(side, this.inboundCount / divisor, record);
            measureEcho(side, this.echoCount / divisor, record);
        }
    }

    private void record(String metric, Side side, double value) {
        this.results.record(metric, side.isOurs(), value);
    }

    private void measureOutbound(Side side, String metric, int count, boolean binary, boolean record)
            throws Exception {
        side.sync();
        long switches = Probe.contextSwitches();
        java.util.Map<Long, Long> allocated = Probe.allocatedBytes();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (binary) {
                side.sendBinary(this.binary16k);
            }
            else {
                side.sendText(this.text64);
            }
        }
        side.sync();
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        if (record) {
            double perSecond = count / (elapsed / 1e9);
            record(metric + (binary ? ", MiB/s" : ", msgs/s"), side,
                    binary ? perSecond * this.binary16k.length / (1024.0 * 1024.0) : perSecond);
            record(metric + ", CPU us/msg", side, cpu / 1e3 / count);
            record(metric + ", context switches/msg", side, (Probe.contextSwitches() - switches) / (double) count);
            record(metric + ", allocated B/msg", side, Probe.allocatedSince(allocated) / (double) count);
        }
    }

    private void measureInbound(Side side, int count, boolean record) throws Exception {
        side.sync();
        CompletableFuture<Void> done = side.expectInbound(count);
        long switches = Probe.contextSwitches();
        java.util.Map<Long, Long> allocated = Probe.allocatedBytes();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        side.sendText("FLOOD " + count + " 64");
        done.get(5, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        if (record) {
            record("inbound 64 B text, msgs/s", side, count / (elapsed / 1e9));
            record("inbound 64 B text, CPU us/msg", side, cpu / 1e3 / count);
            record("inbound 64 B text, context switches/msg", side, (Probe.contextSwitches() - switches) / (double) count);
            record("inbound 64 B text, allocated B/msg", side, Probe.allocatedSince(allocated) / (double) count);
        }
    }

    private void measureEcho(Side side, int count, boolean record) throws Exception {
        long[] rtt = new long[count];
        long switches = Probe.contextSwitches();
        java.util.Map<Long, Long> allocated = Probe.allocatedBytes();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            side.echo(this.text64);
            rtt[i] = System.nanoTime() - t0;
        }
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        if (record) {
            record("echo round trips/s", side, count / (elapsed / 1e9));
            record("echo p50 us", side, Stats.percentile(rtt, count, 50) / 1e3);
            record("echo p99 us", side, Stats.percentile(rtt, count, 99) / 1e3);
            record("echo CPU us/round trip", side, cpu / 1e3 / count);
            record("echo context switches/round trip", side, (Probe.contextSwitches() - switches) / (double) count);
            record("echo allocated B/round trip", side, Probe.allocatedSince(allocated) / (double) count);
        }
    }

    /** One of the two clients, connected to /sink and /echo. */
    abstract static class Side implements AutoCloseable {

        private final AtomicLong syncSeq = new AtomicLong();

        volatile CompletableFuture<String> syncReply = new CompletableFuture<>();

        volatile CompletableFuture<Void> echoReply = new CompletableFuture<>();

        volatile CompletableFuture<Void> inboundDone = new CompletableFuture<>();

        final AtomicLong inboundLeft = new AtomicLong();

        abstract boolean isOurs();

        abstract void sendText(String text) throws Exception;

        /** The extensions the sink connection agreed. */
        List<String> extensions() {
            return List.of();
        }

        abstract void sendBinary(byte[] data) throws Exception;

        abstract void sendEcho(String text) throws Exception;

        /** Returns when every message sent before has reached the server. */
        void sync() throws Exception {
            String token = "SYNC " + this.syncSeq.incrementAndGet();
            this.syncReply = new CompletableFuture<>();
            sendText(token);
            String reply = this.syncReply.get(5, TimeUnit.MINUTES);
            if (!reply.startsWith(token + " ")) {
                throw new IllegalStateException("unexpected sync reply " + reply);
            }
        }

        CompletableFuture<Void> expectInbound(int count) {
            this.inboundDone = new CompletableFuture<>();
            this.inboundLeft.set(count);
            return this.inboundDone;
        }

        void echo(String text) throws Exception {
            this.echoReply = new CompletableFuture<>();
            sendEcho(text);
            this.echoReply.get(1, TimeUnit.MINUTES);
        }

        /** Inbound on /sink. */
        void sinkMessage(WebSocketMessage<?> message) {
            if (message instanceof TextMessage text && text.getPayload().startsWith("SYNC")) {
                this.syncReply.complete(text.getPayload());
            }
            else if (this.inboundLeft.decrementAndGet() == 0) {
                this.inboundDone.complete(null);
            }
        }

    }

    /**
     * Ours: the starter's client beans (default connection /sink, named connection echo),
     * inbound through {@code @WebSocketListener(String)} methods; send() with a window of
     * outstanding futures.
     */
    static final class OursSide extends Side {

        private final ConfigurableApplicationContext context;

        private final ReconnectingWebSocketClient sink;

        private final ReconnectingWebSocketClient echo;

        private final SendWindow window = new SendWindow("ours");

        OursSide(BenchServer server, boolean compression) throws Exception {
            ListenerClientApplication.Listeners.sink = (text) -> sinkMessage(new TextMessage(text));
            ListenerClientApplication.Listeners.echo = () -> this.echoReply.complete(null);
            this.context = ListenerClientApplication.start(server.url("/sink"), server.url("/echo"), MAX_TEXT,
                    compression ? List.of() : List.of("--reconnecting.websocket.compression.enabled=false"), null);
            ReconnectingWebSocketClientRegistry registry = this.context.getBean(ReconnectingWebSocketClientRegistry.class);
            this.sink = registry.getClient("default");
            this.echo = registry.getClient("echo");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(this.sink.isConnected() && this.echo.isConnected()) && System.nanoTime() < deadline) {
                Probe.sleep(10);
            }
            if (!(this.sink.isConnected() && this.echo.isConnected())) {
                throw new IllegalStateException("client beans did not connect");
            }
        }

        @Override
        boolean isOurs() {
            return true;
        }

        @Override
        List<String> extensions() {
            return this.sink.getExtensions();
        }

        @Override
        void sendText(String text) throws Exception {
            this.window.add(this.sink.send(text));
        }

        @Override
        void sendBinary(byte[] data) throws Exception {
            this.window.add(this.sink.send(data));
        }

        @Override
        void sendEcho(String text) {
            this.echo.send(text);
        }

        @Override
        public void close() {
            this.context.close();
        }

    }

    /** Raw: session.sendMessage (blocking, as the raw API offers). */
    static final class RawSide extends Side {

        private final WebSocketSession sink;

        private final WebSocketSession echo;

        RawSide(BenchServer server, Clients.Raw raw, boolean compression) throws Exception {
            WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
            if (compression) {
                headers.setSecWebSocketExtensions(List.of(new WebSocketExtension("permessage-deflate")));
            }
            this.sink = raw.client.execute(new AbstractWebSocketHandler() {
                @Override
                public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
                    sinkMessage(message);
                }
            }, headers, URI.create(server.url("/sink"))).get(30, TimeUnit.SECONDS);
            this.echo = raw.client.execute(new AbstractWebSocketHandler() {
                @Override
                public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
                    echoReply.complete(null);
                }
            }, headers, URI.create(server.url("/echo"))).get(30, TimeUnit.SECONDS);
        }

        @Override
        boolean isOurs() {
            return false;
        }

        @Override
        List<String> extensions() {
            return this.sink.getExtensions().stream().map(WebSocketExtension::getName).toList();
        }

        @Override
        void sendText(String text) throws Exception {
            this.sink.sendMessage(new TextMessage(text));
        }

        @Override
        void sendBinary(byte[] data) throws Exception {
            this.sink.sendMessage(new BinaryMessage(data));
        }

        @Override
        void sendEcho(String text) throws Exception {
            this.echo.sendMessage(new TextMessage(text));
        }

        @Override
        public void close() throws Exception {
            this.sink.close();
            this.echo.close();
        }

    }

}
