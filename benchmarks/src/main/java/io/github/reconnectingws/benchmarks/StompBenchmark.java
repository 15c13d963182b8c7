package io.github.reconnectingws.benchmarks;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.benchmarks.client.StompClientApplication;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Benchmark 8, STOMP inbound: the bench server's simple broker publishes N text messages
 * of 64 B to {@code /topic/bench} as fast as it can ({@code STOMPPUB} on {@code /sink});
 * the client counts the MESSAGE frames delivered to its listener. Ours: the starter's
 * stomp-enabled connection and a {@code @WebSocketListener(connection, destination)}
 * method taking {@code String}; raw: Spring's {@link WebSocketStompClient} over the raw
 * {@code StandardWebSocketClient} with a {@link StompSessionHandlerAdapter} subscribed to
 * the same destination, payload type {@code String}. One side is subscribed at a time
 * (ours stopped, raw disconnected while the other is measured); a probe message through
 * the broker proves the subscription is live before each flood. Same server, same JVM,
 * several runs, alternating who goes first. CPU per message is this (client) process's CPU
 * time over the messages; the server runs in its own process.
 */
public final class StompBenchmark {

    static final int MAX_TEXT = 64 * 1024;

    static final String DESTINATION = StompClientApplication.DESTINATION;

    private static final String MSGS = "STOMP MESSAGE 64 B to a listener, msgs/s";

    private static final String CPU = "STOMP MESSAGE 64 B, CPU us/msg";

    private static final String SWITCHES = "STOMP MESSAGE 64 B, context switches/msg";

    private final Bench.Options options;

    private final int messages;

    /** every run's figures, ours and WebSocketStompClient's */
    private final Stats.Paired results = new Stats.Paired();

    public StompBenchmark(Bench.Options options) {
        this.options = options;
        this.messages = options.intOption("messages", 200_000, 500);
    }

    public Stats.Table run() throws Exception {
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                Clients.Raw raw = new Clients.Raw(MAX_TEXT, MAX_TEXT, 2)) {
            WebSocketSession control = raw.client.execute(new TextWebSocketHandler(), server.url("/sink"))
                .get(30, TimeUnit.SECONDS);
            Side ours = new OursSide(server, control);
            Side rawSide = new RawSide(server, control, raw);
            try {
                if (!this.options.smoke()) {
                    System.out.println("warm-up ...");
                    // both paths keep compiling for a while: 1.5 x N each before the first measured run
                    for (int i = 0; i < 3; i++) {
                        round(ours, rawSide, this.messages / 2, false);
                    }
                }
                int runs = this.options.runs();
                for (int run = 1; run <= runs; run++) {
                    System.out.println("run " + run + "/" + runs + " ...");
                    // alternate who goes first, so drift in machine load does not favour one
                    if (run % 2 == 1) {
                        round(ours, rawSide, this.messages, true);
                    }
                    else {
                        round(rawSide, ours, this.messages, true);
                    }
                }
            }
            finally {
                ours.close();
                rawSide.close();
                control.close();
            }
        }
        Stats.Table table = new Stats.Table("STOMP inbound (median of " + this.options.runs() + " runs; "
                + this.messages + " MESSAGE frames, 64 B text body, simple broker)", "ours", "WebSocketStompClient");
        this.results.row(table, MSGS, 0.95, true);
        this.results.row(table, CPU, 1.10, false);
        this.results.row(table, SWITCHES, Double.NaN, false);
        table.print();
        this.results.printPerRun("WebSocketStompClient");
        return table;
    }

    private void round(Side first, Side second, int count, boolean record) throws Exception {
        String only = this.options.extra().get("only");
        for (Side side : new Side[] { first, second }) {
            if (only != null && side.isOurs() != only.equals("ours")) {
                continue;
            }
            side.activate();
            try {
                measure(side, count, record);
            }
            finally {
                side.deactivate();
            }
        }
    }

    private void record(String metric, Side side, double value) {
        this.results.record(metric, side.isOurs(), value);
    }

    private void measure(Side side, int count, boolean record) throws Exception {
        CompletableFuture<Void> done = side.expect(count);
        long switches = Probe.contextSwitches();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        side.publish(count, 64);
        try {
            done.get(this.options.smoke() ? 60 : 300, TimeUnit.SECONDS);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException((side.isOurs() ? "ours" : "raw") + " received "
                    + (count - side.left.get()) + " of " + count + " messages in time", ex);
        }
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        if (record) {
            record(MSGS, side, count / (elapsed / 1e9));
            record(CPU, side, cpu / 1e3 / count);
            record(SWITCHES, side, (Probe.contextSwitches() - switches) / (double) count);
        }
    }

    /** One of the two STOMP clients; counts the bodies its listener gets. */
    abstract static class Side implements AutoCloseable {

        private final WebSocketSession control;

        final AtomicLong left = new AtomicLong();

        volatile CompletableFuture<Void> done = new CompletableFuture<>();

        volatile CompletableFuture<Void> probe = new CompletableFuture<>();

        Side(WebSocketSession control) {
            this.control = control;
        }

        abstract boolean isOurs();

        /** Connect (or start) and subscribe; returns when a probe message came through. */
        abstract void activate() throws Exception;

        /** Unsubscribe by disconnecting (or stopping). */
        abstract void deactivate() throws Exception;

        /** The listener: a probe ({@code P}) or one of the flood. */
        final void onBody(String body) {
            if (body.startsWith("P")) {
                this.probe.complete(null);
            }
            else if (this.left.decrementAndGet() == 0) {
                this.done.complete(null);
            }
        }

        CompletableFuture<Void> expect(int count) {
            this.done = new CompletableFuture<>();
            this.left.set(count);
            return this.done;
        }

        void publish(int count, int size) throws Exception {
            synchronized (this.control) {
                this.control.sendMessage(new TextMessage("STOMPPUB " + count + " " + size + " " + DESTINATION));
            }
        }

        /** Probe messages until one arrives: the subscription is registered at the broker. */
        void awaitSubscribed() throws Exception {
            for (int i = 0; i < 300; i++) {
                this.probe = new CompletableFuture<>();
                publish(1, 0);
                try {
                    this.probe.get(100, TimeUnit.MILLISECONDS);
                    return;
                }
                catch (TimeoutException ex) {
                    // not subscribed yet
                }
            }
            throw new IllegalStateException((isOurs() ? "ours" : "raw") + ": no probe message within 30 s");
        }

    }

    /**
     * Ours: the starter's stomp-enabled connection and {@code @WebSocketListener} method;
     * stopped while raw is measured, started again (the subscription is sent again on
     * connect) before its own runs.
     */
    static final class OursSide extends Side {

        private final ConfigurableApplicationContext context;

        private final ReconnectingWebSocketClient client;

        OursSide(BenchServer server, WebSocketSession control) {
            super(control);
            StompClientApplication.Listener.frames = this::onBody;
            this.context = StompClientApplication.start(server.url("/stomp"), MAX_TEXT);
            this.client = this.context
                .getBean(StompClientApplication.CONNECTION + "StompClient", ReconnectingStompClient.class)
                .getClient();
        }

        @Override
        boolean isOurs() {
            return true;
        }

        @Override
        void activate() throws Exception {
            if (!this.client.isConnected()) {
                this.client.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!this.client.isConnected() && System.nanoTime() < deadline) {
                Probe.sleep(10);
            }
            if (!this.client.isConnected()) {
                throw new IllegalStateException("ours did not connect: " + this.client.getState());
            }
            awaitSubscribed();
        }

        @Override
        void deactivate() {
            this.client.stop();
        }

        @Override
        public void close() {
            this.context.close();
        }

    }

    /** Raw: WebSocketStompClient, a session per measurement, String payloads. */
    static final class RawSide extends Side {

        private final WebSocketStompClient stompClient;

        private final String url;

        private @Nullable StompSession session;

        RawSide(BenchServer server, WebSocketSession control, Clients.Raw raw) {
            super(control);
            this.url = server.url("/stomp");
            this.stompClient = new WebSocketStompClient(raw.client);
            this.stompClient.setMessageConverter(new StringMessageConverter());
            this.stompClient.setInboundMessageSizeLimit(MAX_TEXT);
        }

        @Override
        boolean isOurs() {
            return false;
        }

        @Override
        void activate() throws Exception {
            StompHeaders connect = new StompHeaders();
            connect.setLogin("guest");
            connect.setPasscode("guest");
            connect.setHost("127.0.0.1");
            // permessage-deflate offered, as ours offers it by default (the bench server accepts it)
            WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
            handshake.setSecWebSocketExtensions(List.of(new WebSocketExtension("permessage-deflate")));
            StompSession session = this.stompClient
                .connectAsync(this.url, handshake, connect, new StompSessionHandlerAdapter() {
                })
                .get(30, TimeUnit.SECONDS);
            this.session = session;
            session.subscribe(DESTINATION, new StompSessionHandlerAdapter() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return String.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, @Nullable Object payload) {
                    onBody((String) payload);
                }
            });
            awaitSubscribed();
        }

        @Override
        void deactivate() {
            StompSession current = this.session;
            if (current != null && current.isConnected()) {
                current.disconnect();
            }
            this.session = null;
        }

        @Override
        public void close() {
            deactivate();
        }

    }

}
