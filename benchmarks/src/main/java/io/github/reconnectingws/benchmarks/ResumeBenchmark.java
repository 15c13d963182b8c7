package io.github.reconnectingws.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.benchmarks.client.ListenerClientApplication;
import io.github.reconnectingws.resume.JdbcResumePositionStore;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.web.socket.TextMessage;

/**
 * The cost of resume on inbound throughput: the same feed of 64 B JSON text messages
 * carrying an increasing position ({@code {"seq":N,"p":"xx..."}}, server command
 * {@code FLOODJSON}) to a {@code @WebSocketListener(String)} of the starter's client beans,
 * with {@code resume.position} off, with {@code /seq} kept in {@code memory}, and with
 * {@code /seq} kept in {@code jdbc} (a throw-away PostgreSQL, flush-interval 200 ms). The
 * three clients are three application contexts connected to one server all along and take
 * turns, the order rotating per run. CPU per message is this process's CPU time (the
 * flusher thread included; PostgreSQL's own processes not).
 * <p>
 * Each measurement checks that the client's resume position advanced by exactly the
 * number of messages (none dropped as a duplicate, none skipped), and the jdbc part that
 * the last position reached the table. The jdbc part is skipped when PostgreSQL is not
 * installed, and in smoke mode unless {@code --jdbc=true}.
 */
public final class ResumeBenchmark {

    private static final int MAX_TEXT = 64 * 1024;

    private static final String[] MODES = { "off", "memory", "jdbc" };

    private static final String KEY_PREFIX = "bench:";

    private final Bench.Options options;

    private final int count;

    private final boolean jdbc;

    /** metric -> mode -> values over the runs */
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();

    private volatile ThroughputBenchmark.@Nullable Side active;

    public ResumeBenchmark(Bench.Options options) {
        this.options = options;
        this.count = options.intOption("inbound", 300_000, 1000);
        this.jdbc = Boolean.parseBoolean(options.extra().getOrDefault("jdbc", options.smoke() ? "false" : "true"));
    }

    public Stats.Table run() throws Exception {
        String skipped = null;
        if (!this.jdbc) {
            skipped = "skipped (" + (this.options.smoke() ? "smoke mode; --jdbc=true to include it" : "--jdbc=false")
                    + ")";
        }
        else if (BenchPostgres.unavailableReason() != null) {
            skipped = "skipped: " + BenchPostgres.unavailableReason();
        }
        if (skipped != null) {
            System.out.println("jdbc " + skipped);
        }
        BenchPostgres postgres = (skipped == null) ? BenchPostgres.start() : null;
        SingleConnectionDataSource dataSource = null;
        List<ModeSide> sides = new ArrayList<>();
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g")) {
            if (postgres != null) {
                // one connection kept open, as a pool would (the store writes from one thread);
                // the jdbc client's context closes it when it stops
                dataSource = new SingleConnectionDataSource(postgres.jdbcUrl(), "postgres", "", true);
                try (Connection connection = dataSource.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute(JdbcResumePositionStore.DDL);
                }
            }
            ListenerClientApplication.Listeners.sink = (text) -> {
                ThroughputBenchmark.Side side = this.active;
                if (side != null) {
                    side.sinkMessage(new TextMessage(text));
                }
            };
            for (String mode : MODES) {
                if (!mode.equals("jdbc") || postgres != null) {
                    sides.add(new ModeSide(mode, server, dataSource));
                }
            }
            // also gives every client a position, so that each measured run checks it
            System.out.println("warm-up ...");
            for (int i = 0; i < (this.options.smoke() ? 1 : 2); i++) {
                    for (ModeSide side : sides) {
                    measure(side, this.count / 5, false);
                }
            }
            int runs = this.options.runs();
            for (int run = 1; run <= runs; run++) {
                System.out.println("run " + run + "/" + runs + " ...");
                // rotate who goes first, so drift in machine load does not favour one
                for (int i = 0; i < sides.size(); i++) {
                    measure(sides.get((run - 1 + i) % sides.size()), this.count, true);
                }
            }
            for (ModeSide side : sides) {
                side.close();
                if (side.mode.equals("jdbc")) {
                    checkTable(postgres.jdbcUrl(), side.lastPosition);
                }
            }
        }
        finally {
            ListenerClientApplication.Listeners.sink = (text) -> {
            };
            for (ModeSide side : sides) {
                side.close();
            }
            if (dataSource != null) {
                dataSource.destroy();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
        Stats.Table table = new Stats.Table("Resume cost on inbound (median of " + this.options.runs() + " runs; "
                + this.count + " x 64 B JSON with \"seq\" counting up per connection)", "resume on",
                "resume off");
        row(table, "memory", "msgs/s", 0.9, true);
        row(table, "memory", "CPU us/msg", Double.NaN, false);
        row(table, "memory", "context switches/msg", Double.NaN, false);
        if (skipped == null) {
            row(table, "jdbc", "msgs/s", 0.8, true);
            row(table, "jdbc", "CPU us/msg", Double.NaN, false);
            row(table, "jdbc", "context switches/msg", Double.NaN, false);
        }
        else {
            table.info("inbound JSON, resume jdbc", skipped, "");
        }
        table.print();
        System.out.println("\nper run (" + String.join(" | ", sides.stream().map((side) -> side.mode).toList()) + "):");
        this.results.forEach((metric, byMode) -> System.out.println("  " + metric + ": " + String.join(" | ",
                byMode.values().stream().map(ResumeBenchmark::format).toList())));
        for (String mode : new String[] { "memory", "jdbc" }) {
            List<Double> mine = this.results.get("msgs/s").get(mode);
            List<Double> off = this.results.get("msgs/s").get("off");
            if (mine != null && !mine.isEmpty()) {
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < mine.size(); i++) {
                    ratios.add(mine.get(i) / off.get(i));
                }
                System.out.println("  msgs/s " + mode + "/off per run: " + format(ratios));
            }
        }
        return table;
    }

    private static String format(List<Double> values) {
        return String.join(" ", values.stream().map(Stats::fmt).toList());
    }

    private void row(Stats.Table table, String mode, String metric, double target, boolean higherIsBetter) {
        Map<String, List<Double>> byMode = this.results.getOrDefault(metric, Map.of());
        table.compare("inbound JSON, " + metric + ": " + mode + " vs off",
                Stats.median(byMode.getOrDefault(mode, List.of())), Stats.median(byMode.getOrDefault("off", List.of())),
                target, higherIsBetter);
    }

    private void record(String metric, String mode, double value) {
        this.results.computeIfAbsent(metric, (key) -> new LinkedHashMap<>())
            .computeIfAbsent(mode, (key) -> new ArrayList<>())
            .add(value);
    }

    private void measure(ModeSide side, int count, boolean record) throws Exception {
        this.active = side;
        side.sync();
        long before = side.position();
        CompletableFuture<Void> done = side.expectInbound(count);
        long switches = Probe.contextSwitches();
        long cpu = Probe.processCpuNanos();
        long start = System.nanoTime();
        side.sendText("FLOODJSON " + count);
        done.get(5, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - start;
        cpu = Probe.processCpuNanos() - cpu;
        switches = Probe.contextSwitches() - switches;
        if (!side.mode.equals("off")) {
            // a position counts as delivered after the listener returned: the next sync
            // reply is dispatched after the last message's position was recorded
            side.sync();
            long after = side.position();
            if (before >= 0 && after - before != count) {
                throw new IllegalStateException("resume " + side.mode + ": position went from " + before + " to "
                        + after + " over " + count + " messages");
            }
            side.lastPosition = after;
        }
        if (record) {
            record("msgs/s", side.mode, count / (elapsed / 1e9));
            record("CPU us/msg", side.mode, cpu / 1e3 / count);
            record("context switches/msg", side.mode, switches / (double) count);
        }
    }

    /** The jdbc store wrote the last position (within a few flush intervals; it also flushes on stop). */
    private static void checkTable(String jdbcUrl, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String found = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                    PreparedStatement query = connection
                        .prepareStatement("SELECT POSITION FROM RWS_RESUME_POSITION WHERE POSITION_KEY = ?")) {
                query.setString(1, KEY_PREFIX + ReconnectingWebSocketClient.DEFAULT_NAME);
                try (ResultSet rows = query.executeQuery()) {
                    found = rows.next() ? rows.getString(1) : null;
                }
            }
            if (String.valueOf(expected).equals(found)) {
                System.out.println("jdbc: table holds the last position " + found);
                return;
            }
            Probe.sleep(50);
        }
        throw new IllegalStateException("jdbc: table holds " + found + ", expected " + expected);
    }

    /** One client context: default connection to /sink with this resume mode. */
    static final class ModeSide extends ThroughputBenchmark.Side {

        final String mode;

        private final ConfigurableApplicationContext context;

        private final ReconnectingWebSocketClient sink;

        long lastPosition = -1;

        private boolean closed;

        ModeSide(String mode, BenchServer server, @Nullable DataSource dataSource) {
            this.mode = mode;
            List<String> args = new ArrayList<>();
            if (!mode.equals("off")) {
                args.add("--reconnecting.websocket.resume.position=/seq");
                args.add("--reconnecting.websocket.resume.store=" + mode);
                args.add("--reconnecting.websocket.resume.flush-interval=200ms");
                // the echo connection is not used here; keep it plain
                args.add("--reconnecting.websocket.connections.echo.resume.position=");
                args.add("--reconnecting.websocket.connections.echo.resume.store=memory");
            }
            args.add("--spring.application.name=bench");
            this.context = ListenerClientApplication.start(server.url("/sink"), server.url("/echo"), MAX_TEXT, args,
                    mode.equals("jdbc") ? dataSource : null);
            ReconnectingWebSocketClientRegistry registry = this.context.getBean(ReconnectingWebSocketClientRegistry.class);
            this.sink = registry.getClient(ReconnectingWebSocketClient.DEFAULT_NAME);
            ReconnectingWebSocketClient echo = registry.getClient("echo");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(this.sink.isConnected() && echo.isConnected()) && System.nanoTime() < deadline) {
                Probe.sleep(10);
            }
            if (!(this.sink.isConnected() && echo.isConnected())) {
                throw new IllegalStateException("client beans (resume " + mode + ") did not connect");
            }
        }

        /** The resume position as a number, or -1 when there is none yet. */
        long position() {
            return this.sink.getResumePosition().map(Long::parseLong).orElse(-1L);
        }

        @Override
        boolean isOurs() {
            return true;
        }

        @Override
        void sendText(String text) {
            this.sink.send(text);
        }

        @Override
        void sendBinary(byte[] data) {
            throw new UnsupportedOperationException();
        }

        @Override
        void sendEcho(String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            if (!this.closed) {
                this.closed = true;
                this.context.close();
            }
        }

    }

}
