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

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.benchmarks.client.RoutingClientApplication;
import io.github.reconnectingws.benchmarks.client.RoutingClientApplication.Deliveries;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark 11, listener routing: the server floods 64 B JSON text messages whose
 * {@code type} cycles over ticker, trade and quote ({@code TYPED} on {@code /sink}) to the
 * client, whose listeners take them: one {@code @WebSocketListener} taking {@code String}
 * (every message) against three {@code @WebSocketListener(field = "/type", havingValue =
 * ...)} taking {@code String}, one per type, so each message goes to exactly one of them;
 * the same with a POJO payload (one listener against three routed ones); and, for
 * reference, the raw {@code StandardWebSocketClient} with an
 * {@code AbstractWebSocketHandler} taking every message. Each variant is its own client
 * (a context of the starter's client beans, or a raw session), connected to one server
 * all along; they take turns, in one order on odd runs and the reverse on even runs. Every
 * listener and the raw handler tell the message's type by its first field and count it;
 * each flood checks that each type arrived exactly as often as sent, none at a listener
 * of another type, none unhandled and no listener failed, or the benchmark fails. CPU per
 * message is this (client) process's CPU time over the flood; the server runs in its own
 * process.
 */
public final class RoutingBenchmark {

    static final int MAX_TEXT = 64 * 1024;

    static final int SIZE = 64;

    static final String RAW = "raw handler";

    static final String RAW_POJO = "raw handler + Jackson";

    static final String ONE_STRING = "1 String listener";

    static final String ROUTED_STRING = "3 routed String listeners";

    static final String ONE_POJO = "1 POJO listener";

    static final String ROUTED_POJO = "3 routed POJO listeners";

    static final String REACTIVE_STRING = "messages(String) subscriber";

    static final String INLINE_REACTIVE_STRING = "messages(String) subscriber, immediate scheduler";

    private static final String[] METRICS = { "msgs/s", "CPU us/msg", "context switches/msg" };

    private final Bench.Options options;

    private final int count;

    private final boolean pojo;

    private final boolean reactive;

    /** metric -> variant -> values over the runs */
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();

    public RoutingBenchmark(Bench.Options options) {
        this.options = options;
        this.count = options.intOption("messages", 300_000, 1_000);
        this.pojo = Boolean.parseBoolean(options.extra().getOrDefault("pojo", "true"));
        this.reactive = Boolean.parseBoolean(options.extra().getOrDefault("reactive", "true"));
    }

    public Stats.Table run() throws Exception {
        List<Variant> variants = new ArrayList<>();
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                Clients.Raw raw = new Clients.Raw(MAX_TEXT, MAX_TEXT, 2)) {
            try {
                variants.add(new RawVariant(RAW, server, raw, false));
                variants.add(new OursVariant(ONE_STRING, RoutingClientApplication.OneStringListener.class, server));
                variants.add(new OursVariant(ROUTED_STRING, RoutingClientApplication.RoutedStringListeners.class,
                        server));
                if (this.pojo) {
                    variants.add(new RawVariant(RAW_POJO, server, raw, true));
                    variants.add(new OursVariant(ONE_POJO, RoutingClientApplication.OnePojoListener.class, server));
                    variants.add(new OursVariant(ROUTED_POJO, RoutingClientApplication.RoutedPojoListeners.class,
                            server));
                }
                if (this.reactive) {
                    variants.add(new OursVariant(REACTIVE_STRING,
                            RoutingClientApplication.ReactiveStringSubscriber.class, server));
                    variants.add(new OursVariant(INLINE_REACTIVE_STRING,
                            RoutingClientApplication.InlineReactiveStringSubscriber.class, server));
                }
                if (!this.options.smoke()) {
                    System.out.println("warm-up ...");
                    // 1.5 runs' worth each before the first measured run, as in the STOMP benchmark
                    for (int i = 0; i < 3; i++) {
                        for (Variant variant : variants) {
                            measure(variant, this.count / 2, false);
                        }
                    }
                }
                int runs = this.options.runs();
                for (int run = 1; run <= runs; run++) {
                    System.out.println("run " + run + "/" + runs + " ...");
                    // alternate the order, so drift in machine load does not favour one
                    for (int i = 0; i < variants.size(); i++) {
                        int index = (run % 2 == 1) ? i : variants.size() - 1 - i;
                        measure(variants.get(index), this.count, true);
                    }
                }
                for (Variant variant : variants) {
                    variant.deliveries.checkNoExtra();
                    variant.checkClean();
                }
            }
            finally {
                for (Variant variant : variants) {
                    try {
                        variant.close();
                    }
                    catch (Exception ex) {
                        System.err.println(variant.label + ": close failed: " + ex);
                    }
                }
            }
        }
        Stats.Table table = new Stats.Table("Listener routing (median of " + this.options.runs() + " runs; "
                + this.count + " x " + SIZE + " B JSON text in, type cycling over "
                + String.join("/", RoutingClientApplication.TYPES) + ")", "variant", "baseline");
        compare(table, "String", ROUTED_STRING, ONE_STRING, 0.9);
        if (this.pojo) {
            compare(table, "POJO", ROUTED_POJO, ONE_POJO, 0.9);
        }
        if (this.reactive) {
            compare(table, "String", REACTIVE_STRING, ONE_STRING, 0.95);
            compare(table, "String", INLINE_REACTIVE_STRING, ONE_STRING, Double.NaN);
        }
        compare(table, "String", ONE_STRING, RAW, 0.95);
        compare(table, "String", ROUTED_STRING, RAW, Double.NaN);
        if (this.pojo) {
            compare(table, "POJO", ONE_POJO, RAW_POJO, 0.95);
        }
        table.print();
        System.out.println("\nper run (" + String.join(" | ", variants.stream().map((v) -> v.label).toList()) + "):");
        this.results.forEach((metric, byVariant) -> System.out.println("  " + metric + ": " + String.join(" | ",
                byVariant.values().stream().map(RoutingBenchmark::format).toList())));
        printRatios(ROUTED_STRING, ONE_STRING);
        if (this.pojo) {
            printRatios(ROUTED_POJO, ONE_POJO);
        }
        if (this.reactive) {
            printRatios(REACTIVE_STRING, ONE_STRING);
            printRatios(INLINE_REACTIVE_STRING, ONE_STRING);
        }
        printRatios(ONE_STRING, RAW);
        printRatios(ROUTED_STRING, RAW);
        if (this.pojo) {
            printRatios(ONE_POJO, RAW_POJO);
        }
        return table;
    }

    /** Two rows, msgs/s (with the target, if any) and CPU per message: variant vs baseline. */
    private void compare(Stats.Table table, String payload, String variant, String baseline, double target) {
        String name = payload + ": " + shortName(variant) + " vs " + shortName(baseline);
        table.compare(name + ", msgs/s", median("msgs/s", variant), median("msgs/s", baseline), target, true);
        table.compare(name + ", CPU us/msg", median("CPU us/msg", variant), median("CPU us/msg", baseline),
                Double.NaN, false);
    }

    private static String shortName(String variant) {
        return switch (variant) {
            case ONE_STRING, ONE_POJO -> "1 listener";
            case ROUTED_STRING, ROUTED_POJO -> "3 routed";
            case REACTIVE_STRING -> "messages(String)";
            case INLINE_REACTIVE_STRING -> "messages(String) immediate";
            default -> variant;
        };
    }

    private double median(String metric, String variant) {
        return Stats.median(this.results.getOrDefault(metric, Map.of()).getOrDefault(variant, List.of()));
    }

    private void printRatios(String variant, String baseline) {
        for (String metric : new String[] { "msgs/s", "CPU us/msg" }) {
            Map<String, List<Double>> byVariant = this.results.getOrDefault(metric, Map.of());
            List<Double> mine = byVariant.getOrDefault(variant, List.of());
            List<Double> base = byVariant.getOrDefault(baseline, List.of());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(mine.size(), base.size()); i++) {
                ratios.add(mine.get(i) / base.get(i));
            }
            System.out.println("  " + metric + " " + variant + " / " + baseline + " per run: " + format(ratios));
        }
    }

    private static String format(List<Double> values) {
        return String.join(" ", values.stream().map(Stats::fmt).toList());
    }

    private void record(String metric, String variant, double value) {
        this.results.computeIfAbsent(metric, (key) -> new LinkedHashMap<>())
            .computeIfAbsent(variant, (key) -> new ArrayList<>())
            .add(value);
    }

    private void measure(Variant variant, int messages, boolean record) throws Exception {
        CompletableFuture<Void> done = variant.deliveries.expect(messages);
        long switches = Probe.contextSwitches();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        variant.send("TYPED " + messages + " " + SIZE + " " + String.join(",", RoutingClientApplication.TYPES));
        try {
            done.get(this.options.smoke() ? 60 : 300, TimeUnit.SECONDS);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException(variant.label + ": " + variant.deliveries.delivered(messages) + " of "
                    + messages + " messages delivered in time", ex);
        }
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        switches = Probe.contextSwitches() - switches;
        variant.deliveries.check(variant.label, messages);
        variant.checkClean();
        if (record) {
            record(METRICS[0], variant.label, messages / (elapsed / 1e9));
            record(METRICS[1], variant.label, cpu / 1e3 / messages);
            record(METRICS[2], variant.label, switches / (double) messages);
        }
    }

    /** One client, connected to /sink, and the deliveries its listeners or handler count. */
    abstract static class Variant implements AutoCloseable {

        final String label;

        final Deliveries deliveries = new Deliveries();

        Variant(String label) {
            this.label = label;
        }

        /** Sends a command to the server on this client's connection. */
        abstract void send(String command) throws Exception;

        /** Fails if a message was unhandled or a listener failed. */
        void checkClean() {
        }

    }

    /**
     * Ours: a context of the starter's client beans (default connection /sink) with one
     * set of listeners; an observer counts messages no listener took and listener errors.
     */
    static final class OursVariant extends Variant {

        private final ConfigurableApplicationContext context;

        private final ReconnectingWebSocketClient client;

        private final AtomicLong unhandled = new AtomicLong();

        private final AtomicLong errors = new AtomicLong();

        OursVariant(String label, Class<?> listeners, BenchServer server) throws Exception {
            super(label);
            this.context = RoutingClientApplication.start(server.url("/sink"), listeners, this.deliveries, MAX_TEXT);
            this.client = this.context.getBean(ReconnectingWebSocketClientRegistry.class)
                .getClient(ReconnectingWebSocketClient.DEFAULT_NAME);
            CompletableFuture<Void> connected = new CompletableFuture<>();
            this.client.addObserver(new ConnectionObserver() {

                @Override
                public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
                    connected.complete(null);
                }

                @Override
                public void onMessageUnhandled(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
                    OursVariant.this.unhandled.incrementAndGet();
                }

                @Override
                public void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                        Throwable error) {
                    if (OursVariant.this.errors.getAndIncrement() == 0) {
                        System.err.println(label + ": listener failed: " + error);
                    }
                }

            });
            // added before asking, so a connect in between is not missed
            if (this.client.isConnected()) {
                connected.complete(null);
            }
            try {
                connected.get(30, TimeUnit.SECONDS);
            }
            catch (TimeoutException ex) {
                this.context.close();
                throw new IllegalStateException(label + ": client bean did not connect", ex);
            }
        }

        @Override
        void send(String command) {
            this.client.send(command).whenComplete((ok, failure) -> {
                if (failure != null) {
                    this.deliveries.fail(failure);
                }
            });
        }

        @Override
        void checkClean() {
            if (this.unhandled.get() != 0 || this.errors.get() != 0) {
                throw new IllegalStateException(this.label + ": " + this.unhandled.get()
                        + " messages taken by no listener, " + this.errors.get() + " listener errors");
            }
        }

        @Override
        public void close() {
            this.context.close();
        }

    }

    /**
     * Raw: a StandardWebSocketClient session offering permessage-deflate (as ours does by
     * default) and an AbstractWebSocketHandler taking every message, as text or converted
     * to a {@link RoutingClientApplication.Tick} by Jackson as the POJO listener's is.
     */
    static final class RawVariant extends Variant {

        private static final JsonMapper JSON = JsonMapper.shared();

        private final WebSocketSession session;

        RawVariant(String label, BenchServer server, Clients.Raw raw, boolean pojo) throws Exception {
            super(label);
            WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
            headers.setSecWebSocketExtensions(List.of(new WebSocketExtension("permessage-deflate")));
            this.session = raw.client.execute(new AbstractWebSocketHandler() {
                @Override
                protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                    if (pojo) {
                        RoutingClientApplication.Tick tick = JSON.readValue(message.getPayload(),
                                RoutingClientApplication.Tick.class);
                        RawVariant.this.deliveries.take(-1, RoutingClientApplication.TYPES.indexOf(tick.type()));
                    }
                    else {
                        RawVariant.this.deliveries.take(-1, Deliveries.typeOf(message.getPayload()));
                    }
                }
            }, headers, URI.create(server.url("/sink"))).get(30, TimeUnit.SECONDS);
        }

        @Override
        void send(String command) throws Exception {
            this.session.sendMessage(new TextMessage(command));
        }

        @Override
        public void close() throws Exception {
            this.session.close();
        }

    }

}
