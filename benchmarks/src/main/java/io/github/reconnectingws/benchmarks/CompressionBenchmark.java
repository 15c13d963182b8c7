package io.github.reconnectingws.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.benchmarks.server.TickerJson;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Benchmark 10, compression: bytes on the wire and client CPU per message for ticker-like
 * JSON text messages of 64 B and 1 KiB ({@link TickerJson}), outbound (client send to
 * {@code /sink}, then a {@code SYNC} round trip proves they all arrived) and inbound (the
 * server floods them, {@code TICKERS n size first}, to the client's handler). Four clients,
 * each connected all along through its own lane of a byte-counting TCP relay
 * ({@link ByteRelay}, a child JVM in full runs, so its copying is not the client's CPU):
 * ours with compression on (the default: permessage-deflate offered) and off (builder
 * {@code compression(boolean)}, a message handler), and the raw
 * {@code StandardWebSocketClient} with and without {@code permessage-deflate} in the
 * handshake's {@code Sec-WebSocket-Extensions} (an {@code AbstractWebSocketHandler}).
 * Every client checks that the extension was agreed as expected, every flood that each
 * message arrived at its full size, every outbound phase that the server counted exactly
 * the messages sent. Ours and raw are compared at the same setting in the same run; the
 * order of the four rotates per run. Messages per phase: {@code --small=N} of 64 B
 * (default 200,000) and {@code --large=N} of 1 KiB (default 50,000); the per-run output
 * also has messages per second and context switches per message.
 */
public final class CompressionBenchmark {

    static final int MAX_TEXT = 64 * 1024;

    /** Sequence numbers from here keep the layout of the messages alike (7 digits). */
    static final long FIRST_SEQ = 1_000_000;

    static final String DEFLATE = "permessage-deflate";

    private static final String[] SETTINGS = { "deflate", "plain" };

    private static final String[] DIRECTIONS = { "outbound", "inbound" };

    private final Bench.Options options;

    private final int smallCount;

    private final int largeCount;

    /** every run's figures, ours and raw, per metric (the metric names the setting) */
    private final Stats.Paired results = new Stats.Paired();

    /** the same figures per client: "metric|label" -> values */
    private final Map<String, List<Double>> byClient = new LinkedHashMap<>();

    private ByteRelay.@Nullable Counter wire;

    public CompressionBenchmark(Bench.Options options) {
        this.options = options;
        this.smallCount = options.intOption("small", 200_000, 500);
        this.largeCount = options.intOption("large", 50_000, 200);
    }

    public Stats.Table run() throws Exception {
        String[] small = messages(64, this.smallCount);
        String[] large = messages(1024, this.largeCount);
        List<Client> clients = new ArrayList<>();
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                ByteRelay.Counter relay = ByteRelay.start(this.options.forkServer(), server.port(), 4);
                WebSocketClientResources resources = new WebSocketClientResources();
                Clients.Raw raw = new Clients.Raw(MAX_TEXT, MAX_TEXT, 2)) {
            this.wire = relay;
            try {
                clients.add(new OursClient(true, 0, resources));
                clients.add(new RawClient(true, 1, raw));
                clients.add(new OursClient(false, 2, resources));
                clients.add(new RawClient(false, 3, raw));
                for (Client client : clients) {
                    client.connect("ws://127.0.0.1:" + relay.port(client.lane) + "/sink");
                    List<String> agreed = client.extensions();
                    if (agreed.contains(DEFLATE) != client.deflate) {
                        throw new IllegalStateException(client.label + ": extensions agreed " + agreed);
                    }
                    System.out.println(client.label + ": extensions agreed " + agreed);
                }
                if (!this.options.smoke()) {
                    System.out.println("warm-up ...");
                    // a run's worth in three rounds: with less, the first measured run came out slower for both
                    for (int i = 0; i < 3; i++) {
                        for (Client client : clients) {
                            turn(client, small, large, 3, false);
                        }
                    }
                }
                int runs = this.options.runs();
                for (int run = 1; run <= runs; run++) {
                    System.out.println("run " + run + "/" + runs + " ...");
                    // rotate who goes first, so drift in machine load does not favour one
                    for (int i = 0; i < clients.size(); i++) {
                        turn(clients.get((run - 1 + i) % clients.size()), small, large, 1, true);
                    }
                }
            }
            finally {
                for (Client client : clients) {
                    try {
                        client.close();
                    }
                    catch (Exception ex) {
                        System.err.println(client.label + ": close failed: " + ex);
                    }
                }
                this.wire = null;
            }
        }
        Stats.Table table = new Stats.Table("Compression (median of " + this.options.runs() + " runs; "
                + this.smallCount + " x 64 B and " + this.largeCount + " x 1 KiB ticker JSON each way; "
                + "ours vs raw at the same setting: deflate = permessage-deflate agreed, plain = not offered)");
        for (String setting : SETTINGS) {
            for (String direction : DIRECTIONS) {
                for (String size : new String[] { "64 B", "1 KiB" }) {
                    this.results.row(table, metric(direction, size, setting, "bytes/msg"), 1.01, false);
                    this.results.row(table, metric(direction, size, setting, "CPU us/msg"), 1.10, false);
                }
            }
        }
        for (String what : new String[] { "bytes/msg", "CPU us/msg" }) {
            for (String direction : DIRECTIONS) {
                for (String size : new String[] { "64 B", "1 KiB" }) {
                    table.info(direction + " " + size + ", " + what + ": deflate / plain",
                            Stats.fmt(settingRatio(direction, size, what, true)) + "x",
                            Stats.fmt(settingRatio(direction, size, what, false)) + "x");
                }
            }
        }
        table.print();
        this.results.printPerRun("raw");
        for (String direction : DIRECTIONS) {
            double deflated = median(metric(direction, "1 KiB", "deflate", "bytes/msg"), "ours/deflate");
            double plain = median(metric(direction, "1 KiB", "plain", "bytes/msg"), "ours/plain");
            if (!(deflated < plain)) {
                throw new IllegalStateException(direction + " 1 KiB: " + deflated + " bytes/msg with deflate, "
                        + plain + " without: not compressed on the wire");
            }
        }
        return table;
    }

    /** Messages of one size, sequence numbers from FIRST_SEQ (made before any measurement). */
    static String[] messages(int size, int count) {
        String[] messages = new String[count];
        for (int i = 0; i < count; i++) {
            messages[i] = TickerJson.ticker(FIRST_SEQ + i, size);
        }
        return messages;
    }

    private static String metric(String direction, String size, String setting, String what) {
        return direction + " " + size + ", " + setting + ": " + what;
    }

    private double median(String metric, String label) {
        return Stats.median(this.byClient.getOrDefault(metric + "|" + label, List.of()));
    }

    private double settingRatio(String direction, String size, String what, boolean ours) {
        String side = ours ? "ours/" : "raw/";
        return median(metric(direction, size, "deflate", what), side + "deflate")
                / median(metric(direction, size, "plain", what), side + "plain");
    }

    /** One client's turn: 64 B out and in, 1 KiB out and in. */
    private void turn(Client client, String[] small, String[] large, int divisor, boolean record) throws Exception {
        outbound(client, "64 B", small, small.length / divisor, record);
        inbound(client, "64 B", 64, small.length / divisor, record);
        outbound(client, "1 KiB", large, large.length / divisor, record);
        inbound(client, "1 KiB", 1024, large.length / divisor, record);
    }

    private void record(Client client, String metric, double value) {
        this.results.record(metric, client.ours, value);
        this.byClient.computeIfAbsent(metric + "|" + client.label, (key) -> new ArrayList<>()).add(value);
    }

    private long[] counts() {
        ByteRelay.Counter relay = this.wire;
        if (relay == null) {
            throw new IllegalStateException("no relay");
        }
        return relay.counts();
    }

    private void outbound(Client client, String size, String[] messages, int count, boolean record)
            throws Exception {
        long receivedBefore = client.sync();
        long[] before = counts();
        long switches = Probe.contextSwitches();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            client.send(messages[i]);
        }
        long receivedAfter = client.sync();
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        switches = Probe.contextSwitches() - switches;
        long[] after = counts();
        if (receivedAfter - receivedBefore != count) {
            throw new IllegalStateException(client.label + ": server received " + (receivedAfter - receivedBefore)
                    + " of " + count + " messages of " + size);
        }
        if (record) {
            String setting = client.deflate ? "deflate" : "plain";
            long bytes = after[client.lane * 2] - before[client.lane * 2];
            record(client, metric("outbound", size, setting, "bytes/msg"), bytes / (double) count);
            record(client, metric("outbound", size, setting, "CPU us/msg"), cpu / 1e3 / count);
            record(client, metric("outbound", size, setting, "msgs/s"), count / (elapsed / 1e9));
            record(client, metric("outbound", size, setting, "context switches/msg"), switches / (double) count);
        }
    }

    private void inbound(Client client, String size, int bytesPerMessage, int count, boolean record)
            throws Exception {
        client.sync();
        long[] before = counts();
        CompletableFuture<Void> done = client.expect(count, bytesPerMessage);
        long switches = Probe.contextSwitches();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        client.send("TICKERS " + count + " " + bytesPerMessage + " " + FIRST_SEQ);
        try {
            done.get(this.options.smoke() ? 60 : 300, TimeUnit.SECONDS);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException(client.label + " received " + (count - client.left.get()) + " of " + count
                    + " messages of " + size + " in time", ex);
        }
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        switches = Probe.contextSwitches() - switches;
        long[] after = counts();
        if (client.wrongSize.get() != 0) {
            throw new IllegalStateException(client.label + ": " + client.wrongSize.get() + " of " + count
                    + " messages did not arrive at " + bytesPerMessage + " bytes");
        }
        if (record) {
            String setting = client.deflate ? "deflate" : "plain";
            long bytes = after[client.lane * 2 + 1] - before[client.lane * 2 + 1];
            record(client, metric("inbound", size, setting, "bytes/msg"), bytes / (double) count);
            record(client, metric("inbound", size, setting, "CPU us/msg"), cpu / 1e3 / count);
            record(client, metric("inbound", size, setting, "msgs/s"), count / (elapsed / 1e9));
            record(client, metric("inbound", size, setting, "context switches/msg"), switches / (double) count);
        }
    }

    /** One of the four clients, connected to /sink through its lane of the relay. */
    abstract static class Client implements AutoCloseable {

        final boolean ours;

        final boolean deflate;

        final int lane;

        final String label;

        final AtomicLong left = new AtomicLong();

        final AtomicLong wrongSize = new AtomicLong();

        private volatile int expectedSize;

        private volatile CompletableFuture<Void> done = new CompletableFuture<>();

        private volatile CompletableFuture<String> syncReply = new CompletableFuture<>();

        private long syncSeq;

        Client(boolean ours, boolean deflate, int lane) {
            this.ours = ours;
            this.deflate = deflate;
            this.lane = lane;
            this.label = (ours ? "ours/" : "raw/") + (deflate ? "deflate" : "plain");
        }

        abstract void connect(String url) throws Exception;

        abstract List<String> extensions();

        abstract void send(String text) throws Exception;

        /**
         * Returns when every message sent before has reached the server.
         * @return the text and binary messages the server's /sink has counted so far
         */
        long sync() throws Exception {
            String token = "SYNC " + this.label + "-" + (++this.syncSeq);
            this.syncReply = new CompletableFuture<>();
            send(token);
            String reply = this.syncReply.get(120, TimeUnit.SECONDS);
            if (!reply.startsWith(token + " ")) {
                throw new IllegalStateException("unexpected sync reply " + reply);
            }
            return Long.parseLong(reply.substring(token.length() + 1).trim());
        }

        CompletableFuture<Void> expect(int count, int size) {
            this.wrongSize.set(0);
            this.expectedSize = size;
            this.done = new CompletableFuture<>();
            this.left.set(count);
            return this.done;
        }

        /** The handler: a sync reply or one of a flood. */
        final void onMessage(WebSocketMessage<?> message) {
            if (!(message instanceof TextMessage text)) {
                return;
            }
            String payload = text.getPayload();
            if (payload.startsWith("SYNC ")) {
                this.syncReply.complete(payload);
                return;
            }
            if (payload.length() != this.expectedSize) {
                this.wrongSize.incrementAndGet();
            }
            if (this.left.decrementAndGet() == 0) {
                this.done.complete(null);
            }
        }

    }

    /**
     * Ours: a client from the builder on shared resources, compression on or off, a
     * message handler; send() with a window of outstanding futures.
     */
    static final class OursClient extends Client {

        private final WebSocketClientResources resources;

        private final SendWindow window;

        private @Nullable ReconnectingWebSocketClient client;

        OursClient(boolean deflate, int lane, WebSocketClientResources resources) {
            super(true, deflate, lane);
            this.resources = resources;
            this.window = new SendWindow(this.label);
        }

        @Override
        void connect(String url) throws Exception {
            ReconnectingWebSocketClient built = Clients
                .ours(url, this.label.replace('/', '-'), this.resources, MAX_TEXT, MAX_TEXT)
                .compression(this.deflate)
                .messageHandler((c, session, message) -> onMessage(message))
                .build();
            this.client = built;
            built.start().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!built.isConnected() && System.nanoTime() < deadline) {
                Probe.sleep(10);
            }
            if (!built.isConnected()) {
                throw new IllegalStateException(this.label + " did not connect: " + built.getState());
            }
        }

        private ReconnectingWebSocketClient client() {
            ReconnectingWebSocketClient built = this.client;
            if (built == null) {
                throw new IllegalStateException(this.label + " not connected");
            }
            return built;
        }

        @Override
        List<String> extensions() {
            return client().getExtensions();
        }

        @Override
        void send(String text) throws Exception {
            this.window.add(client().send(text));
        }

        @Override
        public void close() {
            ReconnectingWebSocketClient built = this.client;
            if (built != null) {
                built.close();
            }
        }

    }

    /**
     * Raw: StandardWebSocketClient, permessage-deflate offered in the handshake headers or
     * not; session.sendMessage (blocking, as the raw API offers).
     */
    static final class RawClient extends Client {

        private final Clients.Raw raw;

        private @Nullable WebSocketSession session;

        RawClient(boolean deflate, int lane, Clients.Raw raw) {
            super(false, deflate, lane);
            this.raw = raw;
        }

        @Override
        void connect(String url) throws Exception {
            WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
            if (this.deflate) {
                headers.setSecWebSocketExtensions(List.of(new WebSocketExtension(DEFLATE)));
            }
            this.session = this.raw.client.execute(new AbstractWebSocketHandler() {
                @Override
                public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
                    onMessage(message);
                }
            }, headers, URI.create(url)).get(30, TimeUnit.SECONDS);
        }

        private WebSocketSession session() {
            WebSocketSession open = this.session;
            if (open == null) {
                throw new IllegalStateException(this.label + " not connected");
            }
            return open;
        }

        @Override
        List<String> extensions() {
            return session().getExtensions().stream().map(WebSocketExtension::getName).toList();
        }

        @Override
        void send(String text) throws Exception {
            session().sendMessage(new TextMessage(text));
        }

        @Override
        public void close() throws Exception {
            WebSocketSession open = this.session;
            if (open != null) {
                open.close();
            }
        }

    }

}
